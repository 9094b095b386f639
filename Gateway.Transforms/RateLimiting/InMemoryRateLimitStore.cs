using System.Collections.Concurrent;

namespace Gateway.Transforms.RateLimiting;

/// <summary>
/// Per-process limits with exactly the semantics of <see cref="RedisRateLimitStore"/> (same boundaries, Remaining,
/// ResetAt and RetryAfter), on a <see cref="TimeProvider"/>. System.Threading.RateLimiting is not used because its
/// SlidingWindowRateLimiter is segmented (approximate) and its TokenBucketRateLimiter refills in periodic steps on a
/// timer, so neither gives the answers the Redis scripts give, and neither accepts a TimeProvider for testing.
/// Memory is bounded: idle partitions are evicted and the partition count is capped.
/// </summary>
public sealed class InMemoryRateLimitStore : IRateLimitStore
{
    private readonly ConcurrentDictionary<PartitionKey, PartitionLimiter> _partitions = new();
    private readonly ConcurrentDictionary<RateLimitRule, PartitionLimiter> _overflow = new();
    private readonly InMemoryRateLimitStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly long _sweepIntervalMs;
    private long _lastSweepMs;
    private int _sweeping;

    public InMemoryRateLimitStore(InMemoryRateLimitStoreOptions? options = null, TimeProvider? timeProvider = null)
    {
        _options = options ?? new InMemoryRateLimitStoreOptions();
        if (_options.MaxPartitions < 1 || _options.SweepInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("InMemoryRateLimitStore needs MaxPartitions >= 1 and a positive SweepInterval.", nameof(options));
        }

        _time = timeProvider ?? TimeProvider.System;
        _sweepIntervalMs = (long)_options.SweepInterval.TotalMilliseconds;
        _lastSweepMs = NowMs();
    }

    /// <summary>Partitions currently tracked (excluding overflow limiters).</summary>
    public int PartitionCount => _partitions.Count;

    public ValueTask<RateLimitDecision> AcquireAsync(string partitionKey, RateLimitRule rule, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Acquire(partitionKey, rule));
    }

    public RateLimitDecision Acquire(string partitionKey, RateLimitRule rule)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        ArgumentNullException.ThrowIfNull(rule);

        var now = NowMs();
        if (now - Volatile.Read(ref _lastSweepMs) >= _sweepIntervalMs)
        {
            EvictIdlePartitions(now);
        }

        while (true)
        {
            var limiter = Find(new PartitionKey(rule, partitionKey), now);
            lock (limiter)
            {
                if (!limiter.Evicted)
                {
                    return limiter.Acquire(now);
                }
            }
        }
    }

    /// <summary>Drops every partition whose state no longer affects decisions.</summary>
    internal void EvictIdlePartitions(long nowMs)
    {
        if (Interlocked.CompareExchange(ref _sweeping, 1, 0) != 0)
        {
            return;
        }

        try
        {
            Volatile.Write(ref _lastSweepMs, nowMs);
            foreach (var entry in _partitions)
            {
                lock (entry.Value)
                {
                    if (entry.Value.IsIdle(nowMs))
                    {
                        entry.Value.Evicted = true;
                        _partitions.TryRemove(entry);
                    }
                }
            }
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }

    private PartitionLimiter Find(PartitionKey key, long now)
    {
        if (_partitions.TryGetValue(key, out var existing))
        {
            return existing;
        }

        if (_partitions.Count >= _options.MaxPartitions)
        {
            EvictIdlePartitions(now);
            if (_partitions.Count >= _options.MaxPartitions)
            {
                return _overflow.GetOrAdd(key.Rule, static rule => PartitionLimiter.Create(rule));
            }
        }

        return _partitions.GetOrAdd(key, static key => PartitionLimiter.Create(key.Rule));
    }

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private readonly record struct PartitionKey(RateLimitRule Rule, string Partition);
}
