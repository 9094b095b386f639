namespace Gateway.Bench;

/// <summary>A fixed-size latency histogram in microseconds (1 µs resolution up to 1 s), safe to merge after a run.</summary>
internal sealed class Latencies
{
    private const int MaxMicros = 1_000_000;
    private readonly long[] _counts = new long[MaxMicros + 1];

    public long Count { get; private set; }

    public void Add(TimeSpan elapsed)
    {
        var micros = (long)(elapsed.Ticks / 10);
        _counts[micros > MaxMicros ? MaxMicros : micros]++;
        Count++;
    }

    public void Merge(Latencies other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
    }

    public double PercentileMs(double percentile)
    {
        var target = (long)Math.Ceiling(Count * percentile);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= target)
            {
                return i / 1000.0;
            }
        }

        return MaxMicros / 1000.0;
    }
}
