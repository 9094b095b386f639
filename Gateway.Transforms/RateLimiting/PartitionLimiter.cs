namespace Gateway.Transforms.RateLimiting;

/// <summary>In-process state of one partition. Not thread-safe: callers lock the instance.</summary>
internal abstract class PartitionLimiter
{
    /// <summary>Set (under the instance lock) when the store dropped this state; an acquirer holding it must look again.</summary>
    public bool Evicted { get; set; }

    public static PartitionLimiter Create(RateLimitRule rule) => rule.Algorithm == RateLimitAlgorithm.SlidingWindow
        ? new SlidingWindowLog(rule.PermitLimit, rule.WindowMilliseconds)
        : new TokenBucket(rule.Capacity, rule.PermitLimit, rule.WindowMilliseconds);

    public abstract RateLimitDecision Acquire(long nowMs);

    /// <summary>True when forgetting this state changes no future decision.</summary>
    public abstract bool IsIdle(long nowMs);
}
