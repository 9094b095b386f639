using System.Diagnostics.Metrics;

namespace Gateway.Proxy.Observability.Metrics;

/// <summary>The aggregated state of one instrument, named and typed for Prometheus.</summary>
internal abstract class MetricStream(Instrument instrument, string name, PrometheusType type, long order)
{
    public Instrument Instrument { get; } = instrument;

    public string Name { get; } = name;

    public PrometheusType Type { get; } = type;

    public string Help { get; } = instrument.Description
        ?? $"Instrument {instrument.Name} of meter {instrument.Meter.Name}.";

    /// <summary>Publication order; when names clash, the earliest instrument defines the family.</summary>
    public long Order { get; } = order;

    /// <summary>Observable instruments report their complete state at each scrape, so old series are forgotten first.</summary>
    public bool IsObservable { get; } = instrument.IsObservable;

    public abstract long FoldedMeasurements { get; }

    public abstract void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

    public abstract void ClearSeries();

    /// <summary>Whether another stream with this stream's name can share its family without invalid output.</summary>
    public virtual bool IsCompatibleWith(MetricStream other) => other.Type == Type;

    /// <summary>Writes every series whose label set was not written yet by an earlier stream of the same family.</summary>
    public abstract void WriteSeries(PrometheusTextWriter writer, ISet<string> writtenLabelSets);
}
