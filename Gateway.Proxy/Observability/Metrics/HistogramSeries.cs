namespace Gateway.Proxy.Observability.Metrics;

/// <summary>Bucket counts, sum and count of one histogram series; a per-series lock keeps them consistent.</summary>
internal sealed class HistogramSeries(int bucketCount)
{
    private readonly Lock _lock = new();
    private readonly long[] _bucketCounts = new long[bucketCount + 1];
    private double _sum;
    private long _count;

    /// <param name="bucket">Index of the first upper bound that is &gt;= the value; the bound count means +Inf.</param>
    public void Record(int bucket, double value)
    {
        lock (_lock)
        {
            _bucketCounts[bucket]++;
            _sum += value;
            _count++;
        }
    }

    /// <summary>Copies per-bucket (not cumulative) counts into <paramref name="bucketCounts"/>.</summary>
    public (double Sum, long Count) CopyTo(Span<long> bucketCounts)
    {
        lock (_lock)
        {
            _bucketCounts.CopyTo(bucketCounts);
            return (_sum, _count);
        }
    }
}
