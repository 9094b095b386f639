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

/// <summary>The in-process twin of the Redis sliding-log script: the same boundaries and the same reply fields.</summary>
internal sealed class SlidingWindowLog(int limit, long windowMs) : PartitionLimiter
{
    private readonly Queue<long> _permits = new();
    private long _newest;

    public override RateLimitDecision Acquire(long nowMs)
    {
        Expire(nowMs);
        var allowed = _permits.Count < limit;
        if (allowed)
        {
            _permits.Enqueue(nowMs);
            _newest = nowMs;
        }

        var count = _permits.Count;
        var resetAt = count > 0 ? _newest + windowMs : nowMs;
        var retryAfter = allowed ? 0 : _permits.Peek() + windowMs - nowMs;
        return RateLimitDecision.FromMilliseconds(allowed, limit, limit - count, resetAt, retryAfter);
    }

    public override bool IsIdle(long nowMs)
    {
        Expire(nowMs);
        return _permits.Count == 0;
    }

    private void Expire(long nowMs)
    {
        while (_permits.TryPeek(out var oldest) && oldest <= nowMs - windowMs)
        {
            _permits.Dequeue();
        }
    }
}

/// <summary>The in-process twin of the Redis token-bucket script, with the same integer (token x window) arithmetic.</summary>
internal sealed class TokenBucket(int capacity, int permitsPerWindow, long windowMs) : PartitionLimiter
{
    private readonly long _full = capacity * windowMs;
    private long _scaled = capacity * windowMs;
    private long _lastMs = long.MinValue;

    public override RateLimitDecision Acquire(long nowMs)
    {
        Refill(nowMs);
        var allowed = _scaled >= windowMs;
        long retryAfter = 0;
        if (allowed)
        {
            _scaled -= windowMs;
        }
        else
        {
            retryAfter = CeilingDivide(windowMs - _scaled, permitsPerWindow);
        }

        var untilFull = CeilingDivide(_full - _scaled, permitsPerWindow);
        return RateLimitDecision.FromMilliseconds(allowed, capacity, _scaled / windowMs, nowMs + untilFull, retryAfter);
    }

    public override bool IsIdle(long nowMs)
    {
        Refill(nowMs);
        return _scaled >= _full;
    }

    private void Refill(long nowMs)
    {
        if (_lastMs == long.MinValue)
        {
            _lastMs = nowMs;
            return;
        }

        if (nowMs > _lastMs)
        {
            // Elapsed time beyond what refills the bucket is irrelevant; capping it also rules out overflow.
            var elapsed = Math.Min(nowMs - _lastMs, CeilingDivide(_full, permitsPerWindow));
            _scaled = Math.Min(_full, _scaled + (elapsed * permitsPerWindow));
            _lastMs = nowMs;
        }
    }

    private static long CeilingDivide(long value, long divisor) => (value + divisor - 1) / divisor;
}
