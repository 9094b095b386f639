using System.Diagnostics.Metrics;

namespace Gateway.Proxy.Observability.Metrics;

/// <summary>A histogram with fixed upper bounds, rendered as cumulative buckets plus sum and count.</summary>
internal sealed class HistogramStream : MetricStream
{
    private readonly double[] _bounds;
    private readonly SeriesTable<HistogramSeries> _series;

    public HistogramStream(Instrument instrument, string name, long order, double[] bounds, TagKeyFilter filter, int maxSeries)
        : base(instrument, name, PrometheusType.Histogram, order)
    {
        _bounds = bounds;
        _series = new SeriesTable<HistogramSeries>(() => new HistogramSeries(bounds.Length), filter, maxSeries);
    }

    public override long FoldedMeasurements => _series.FoldedMeasurements;

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (double.IsNaN(value))
        {
            return;
        }

        _series.GetSeries(tags).Record(HistogramBuckets.BucketIndex(_bounds, value), value);
    }

    public override void ClearSeries() => _series.Clear();

    public override bool IsCompatibleWith(MetricStream other) =>
        other is HistogramStream histogram && histogram._bounds.AsSpan().SequenceEqual(_bounds);

    public override void WriteSeries(PrometheusTextWriter writer, ISet<string> writtenLabelSets)
    {
        var counts = new long[_bounds.Length + 1];
        foreach (var (key, series) in _series.Snapshot())
        {
            if (!writtenLabelSets.Add(key.Labels))
            {
                continue;
            }

            var (sum, count) = series.CopyTo(counts);
            writer.WriteHistogram(Name, key.Labels, _bounds, counts, sum, count);
        }
    }
}
