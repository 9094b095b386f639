namespace Gateway.Transforms.RateLimiting;

public sealed record InMemoryRateLimitStoreOptions
{
    /// <summary>
    /// Tracked partitions before new ones share one overflow limiter per rule (which keeps traffic bounded) until idle
    /// partitions are evicted.
    /// </summary>
    public int MaxPartitions { get; init; } = 100_000;

    /// <summary>How often idle partitions (empty window, full bucket) are dropped.</summary>
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromSeconds(30);
}
