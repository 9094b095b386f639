namespace Gateway.Transforms.RateLimiting;

public sealed record FailoverRateLimitStoreOptions
{
    /// <summary>Wait after an outage starts before the first probe; doubles (with jitter) after each failed probe.</summary>
    public TimeSpan ProbeBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan ProbeMaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    public string KeyPrefix { get; init; } = RedisRateLimitStore.DefaultKeyPrefix;

    public InMemoryRateLimitStoreOptions Fallback { get; init; } = new();
}
