namespace Gateway.Transforms.RateLimiting;

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
