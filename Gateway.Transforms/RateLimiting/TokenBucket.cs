namespace Gateway.Transforms.RateLimiting;

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
