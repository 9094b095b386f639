namespace Gateway.Transforms.RateLimiting;

public sealed record FailoverRateLimitStoreOptions
{
    /// <summary>Wait after an outage starts before the first probe; doubles (with jitter) after each failed probe.</summary>
    public TimeSpan ProbeBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan ProbeMaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Failed decisions in a row (timeouts, error replies) that start an outage. A lost connection starts one at once;
    /// a single slow reply must not, or a replica's cold-start burst would switch it to per-replica limits.
    /// </summary>
    public int FailuresBeforeOutage { get; init; } = 3;

    public string KeyPrefix { get; init; } = RedisRateLimitStore.DefaultKeyPrefix;

    public InMemoryRateLimitStoreOptions Fallback { get; init; } = new();
}
