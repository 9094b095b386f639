using System.Diagnostics.Metrics;

namespace Gateway.Proxy.Observability.Metrics;

/// <summary>A counter or gauge: deltas are summed (counters, up-down counters) or the last value is kept (gauges, observables).</summary>
internal sealed class ScalarStream(
    Instrument instrument,
    string name,
    PrometheusType type,
    long order,
    ScalarAggregation aggregation,
    TagKeyFilter filter,
    int maxSeries)
    : MetricStream(instrument, name, type, order)
{
    private readonly SeriesTable<ScalarSeries> _series = new(static () => new ScalarSeries(), filter, maxSeries);

    public override long FoldedMeasurements => _series.FoldedMeasurements;

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        switch (aggregation)
        {
            case ScalarAggregation.MonotonicSum:
                // A counter never goes down; a negative delta is a caller bug and would corrupt rate().
                if (value >= 0)
                {
                    _series.GetSeries(tags).Add(value);
                }

                break;
            case ScalarAggregation.Sum:
                _series.GetSeries(tags).Add(value);
                break;
            default:
                _series.GetSeries(tags).Set(value);
                break;
        }
    }

    public override void ClearSeries() => _series.Clear();

    public override void WriteSeries(PrometheusTextWriter writer, ISet<string> writtenLabelSets)
    {
        foreach (var (key, series) in _series.Snapshot())
        {
            if (writtenLabelSets.Add(key.Labels))
            {
                writer.WriteSample(Name, key.Labels, series.Value);
            }
        }
    }
}
