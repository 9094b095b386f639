using System.Collections.Concurrent;

namespace Gateway.Proxy.Observability;

/// <summary>Per-cluster call counts, failures and latency (EWMA) for /status/servers; cheap, lock-free updates.</summary>
public sealed class ClusterStatistics
{
    private readonly ConcurrentDictionary<string, Counters> _clusters = new(StringComparer.OrdinalIgnoreCase);

    public void Record(string clusterId, bool succeeded, TimeSpan elapsed)
    {
        var counters = _clusters.GetOrAdd(clusterId, static _ => new Counters());
        Interlocked.Increment(ref counters.Requests);
        if (!succeeded)
        {
            Interlocked.Increment(ref counters.Failures);
        }

        // A lost update under contention only nudges an average; not worth a lock on the hot path.
        var previous = Volatile.Read(ref counters.AverageMs);
        var sample = elapsed.TotalMilliseconds;
        Volatile.Write(ref counters.AverageMs, previous == 0 ? sample : (previous * 0.9) + (sample * 0.1));
    }

    public ClusterSnapshot Get(string clusterId) =>
        _clusters.TryGetValue(clusterId, out var c)
            ? new ClusterSnapshot(Volatile.Read(ref c.Requests), Volatile.Read(ref c.Failures), Math.Round(Volatile.Read(ref c.AverageMs), 3))
            : new ClusterSnapshot(0, 0, 0);

    private sealed class Counters
    {
        public long Requests;
        public long Failures;
        public double AverageMs;
    }
}

public readonly record struct ClusterSnapshot(long Requests, long Failures, double AverageResponseMs)
{
    public double SuccessRate => Requests == 0 ? 1 : Math.Round((double)(Requests - Failures) / Requests, 4);
}
