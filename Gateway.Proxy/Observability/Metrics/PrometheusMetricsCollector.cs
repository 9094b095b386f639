using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Observability.Metrics;

/// <summary>
/// Listens to the configured meters and aggregates their measurements for Prometheus scrapes.
/// Register as a singleton; with an <see cref="IMeterFactory"/> it ignores meters created by other hosts'
/// factories in the same process (static meters, whose scope is null, are always accepted).
/// </summary>
public sealed class PrometheusMetricsCollector : IDisposable
{
    public const string DroppedSeriesMetricName = "mcp_metrics_series_dropped_total";

    private readonly PrometheusExporterOptions _options;
    private readonly IMeterFactory? _meterScope;
    private readonly MeterListener _listener;
    private readonly ConcurrentDictionary<Instrument, MetricStream> _streams = new();
    private readonly ConcurrentDictionary<string, TagKeyFilter> _filters = new(StringComparer.Ordinal);
    private readonly Lock _scrapeLock = new();
    private long _published;

    public PrometheusMetricsCollector(IOptions<PrometheusExporterOptions> options, IMeterFactory? meterFactory = null)
    {
        _options = options.Value;
        if (_options.MaxSeriesPerMetric < 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options),
                _options.MaxSeriesPerMetric,
                "PrometheusExporterOptions.MaxSeriesPerMetric must be at least 1.");
        }

        _meterScope = meterFactory;
        _listener = new MeterListener
        {
            InstrumentPublished = OnInstrumentPublished,
            MeasurementsCompleted = (instrument, _) => _streams.TryRemove(instrument, out MetricStream? _),
        };
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((MetricStream)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => ((MetricStream)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((MetricStream)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((MetricStream)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<short>(static (_, value, tags, state) => ((MetricStream)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<byte>(static (_, value, tags, state) => ((MetricStream)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<decimal>(static (_, value, tags, state) => ((MetricStream)state!).Record((double)value, tags));
        _listener.Start();
    }

    /// <summary>Collects observable instruments and renders every metric in exposition format 0.0.4.</summary>
    public string Scrape()
    {
        var output = new StringBuilder(4096);
        lock (_scrapeLock)
        {
            CollectObservables();
            WriteFamilies(new PrometheusTextWriter(output));
        }

        return output.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        var meter = instrument.Meter;
        if (!_options.MeterNames.Contains(meter.Name)
            || (_meterScope is not null && meter.Scope is not null && !ReferenceEquals(meter.Scope, _meterScope)))
        {
            return;
        }

        var filter = _filters.GetOrAdd(
            meter.Name,
            static (name, options) => new TagKeyFilter(options.DeniedTagKeys, options.MeterTagPolicies.TryGetValue(name, out var policy) ? policy : null),
            _options);
        var stream = MetricStreamFactory.Create(instrument, Interlocked.Increment(ref _published), filter, _options);
        if (stream is null || stream.Name == DroppedSeriesMetricName)
        {
            return;
        }

        _streams[instrument] = stream;
        listener.EnableMeasurementEvents(instrument, stream);
    }

    private void CollectObservables()
    {
        foreach (var stream in _streams.Values)
        {
            if (stream.IsObservable)
            {
                stream.ClearSeries();
            }
        }

        try
        {
            _listener.RecordObservableInstruments();
        }
        catch (Exception)
        {
            // A throwing callback of some library's observable instrument must not fail the whole scrape;
            // the instruments that did report are still rendered.
        }
    }

    private void WriteFamilies(PrometheusTextWriter writer)
    {
        var families = new SortedDictionary<string, List<MetricStream>>(StringComparer.Ordinal);
        foreach (var stream in _streams.Values)
        {
            if (!families.TryGetValue(stream.Name, out var members))
            {
                families[stream.Name] = members = [];
            }

            members.Add(stream);
        }

        var writtenLabelSets = new HashSet<string>(StringComparer.Ordinal);
        var folded = new List<MetricStream>();
        foreach (var (name, members) in families)
        {
            members.Sort(static (a, b) => a.Order.CompareTo(b.Order));
            var owner = members[0];
            var familyOutput = new StringBuilder();
            var familyWriter = new PrometheusTextWriter(familyOutput);
            writtenLabelSets.Clear();
            foreach (var member in members)
            {
                // A clashing name with another type or bucket layout would make the family invalid: first wins.
                if (ReferenceEquals(member, owner) || owner.IsCompatibleWith(member))
                {
                    member.WriteSeries(familyWriter, writtenLabelSets);
                }

                if (member.FoldedMeasurements > 0)
                {
                    folded.Add(member);
                }
            }

            if (familyOutput.Length == 0)
            {
                continue;
            }

            writer.WriteFamilyHeader(name, owner.Type, owner.Help);
            writer.WriteRaw(familyOutput);
        }

        WriteDroppedSeries(writer, folded);
    }

    private static void WriteDroppedSeries(PrometheusTextWriter writer, List<MetricStream> folded)
    {
        if (folded.Count == 0)
        {
            return;
        }

        writer.WriteFamilyHeader(
            DroppedSeriesMetricName,
            PrometheusType.Counter,
            "Measurements folded into the overflow series because a metric reached its series limit.");
        var totals = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var stream in folded)
        {
            totals[stream.Name] = totals.GetValueOrDefault(stream.Name) + stream.FoldedMeasurements;
        }

        var labels = new StringBuilder();
        foreach (var (metric, total) in totals)
        {
            labels.Clear();
            PrometheusTextWriter.AppendLabel(labels, "metric", metric);
            writer.WriteSample(DroppedSeriesMetricName, labels.ToString(), total);
        }
    }
}
