namespace Gateway.Transforms.RateLimiting;

/// <summary>A limit applied per partition (client, tenant, ...). Invalid values throw <see cref="ArgumentException"/>.</summary>
public sealed record RateLimitRule(string PolicyName, RateLimitAlgorithm Algorithm, int PermitLimit, TimeSpan Window, int? BurstLimit = null)
{
    // Token counts are kept as integers scaled by the window (ms) so Lua doubles and C# longs agree exactly.
    private const long MaxExactInteger = 1L << 53;

    public string PolicyName { get; init; } = !string.IsNullOrWhiteSpace(PolicyName)
        ? PolicyName
        : throw new ArgumentException("A rate-limit rule needs a PolicyName.", nameof(PolicyName));

    public RateLimitAlgorithm Algorithm { get; init; } = Enum.IsDefined(Algorithm)
        ? Algorithm
        : throw new ArgumentException($"Unknown rate-limit algorithm {Algorithm}.", nameof(Algorithm));

    public int PermitLimit { get; init; } = PermitLimit >= 1
        ? PermitLimit
        : throw new ArgumentException($"Rate-limit policy '{PolicyName}': PermitLimit must be at least 1, not {PermitLimit}.", nameof(PermitLimit));

    public TimeSpan Window { get; init; } = Window >= TimeSpan.FromMilliseconds(1)
        && (long)Window.TotalMilliseconds <= MaxExactInteger / Math.Max(1, BurstLimit ?? PermitLimit)
        ? Window
        : throw new ArgumentException(
            $"Rate-limit policy '{PolicyName}': Window must be at least 1 ms, and limit x window (ms) at most 2^53.", nameof(Window));

    public int? BurstLimit { get; init; } = BurstLimit is null || (BurstLimit >= 1 && Algorithm == RateLimitAlgorithm.TokenBucket)
        ? BurstLimit
        : throw new ArgumentException(
            $"Rate-limit policy '{PolicyName}': BurstLimit must be at least 1 and applies only to TokenBucket.", nameof(BurstLimit));

    /// <summary>Whole milliseconds of <see cref="Window"/>.</summary>
    internal long WindowMilliseconds => (long)Window.TotalMilliseconds;

    /// <summary>Permits available when idle: the bucket size for TokenBucket, PermitLimit for SlidingWindow.</summary>
    internal int Capacity => Algorithm == RateLimitAlgorithm.TokenBucket ? BurstLimit ?? PermitLimit : PermitLimit;
}
