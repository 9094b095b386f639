using Gateway.Transforms.RateLimiting;

namespace Gateway.Tests.RateLimiting;

[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class InMemoryRateLimitStoreTests
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly ManualTimeProvider _clock = new(Start);

    [Test]
    public void SlidingWindow_AllowsTheLimitThenRejectsUntilTheOldestPermitLeavesTheWindow()
    {
        var store = new InMemoryRateLimitStore(timeProvider: _clock);
        var rule = new RateLimitRule("p", RateLimitAlgorithm.SlidingWindow, 3, TimeSpan.FromSeconds(1));
        var decisions = new List<RateLimitDecision>();

        foreach (var at in new[] { 0, 100, 200, 300, 999, 1000, 1001 })
        {
            _clock.Advance(Start.AddMilliseconds(at) - _clock.GetUtcNow());
            decisions.Add(store.Acquire("client", rule));
        }

        Assert.That(decisions.Select(d => d.Allowed), Is.EqualTo(new[] { true, true, true, false, false, true, false }));
        Assert.That(decisions.Select(d => d.Remaining), Is.EqualTo(new[] { 2, 1, 0, 0, 0, 0, 0 }));
        Assert.That(decisions[3].RetryAfter, Is.EqualTo(TimeSpan.FromMilliseconds(700)));
        Assert.That(decisions[3].ResetAt, Is.EqualTo(Start.AddMilliseconds(1200)), "full quota once the newest permit leaves");
        Assert.That(decisions[6].RetryAfter, Is.EqualTo(TimeSpan.FromMilliseconds(99)));
        Assert.That(decisions[0].RetryAfter, Is.EqualTo(TimeSpan.Zero));
        Assert.That(decisions.Select(d => d.Limit), Is.All.EqualTo(3));
    }

    [Test]
    public void TokenBucket_RefillsContinuouslyUpToTheBurst()
    {
        var store = new InMemoryRateLimitStore(timeProvider: _clock);
        var rule = new RateLimitRule("p", RateLimitAlgorithm.TokenBucket, 4, TimeSpan.FromSeconds(1), BurstLimit: 2);

        var first = store.Acquire("c", rule);
        var second = store.Acquire("c", rule);
        var third = store.Acquire("c", rule);
        _clock.Advance(TimeSpan.FromMilliseconds(249));
        var tooEarly = store.Acquire("c", rule);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var refilled = store.Acquire("c", rule);
        _clock.Advance(TimeSpan.FromSeconds(10));
        var afterLongIdle = store.Acquire("c", rule);

        Assert.That(new[] { first.Allowed, second.Allowed, third.Allowed, tooEarly.Allowed, refilled.Allowed }, Is.EqualTo(new[] { true, true, false, false, true }));
        Assert.That(first.Remaining, Is.EqualTo(1));
        Assert.That(first.ResetAt, Is.EqualTo(Start.AddMilliseconds(250)));
        Assert.That(third.RetryAfter, Is.EqualTo(TimeSpan.FromMilliseconds(250)));
        Assert.That(tooEarly.RetryAfter, Is.EqualTo(TimeSpan.FromMilliseconds(1)));
        Assert.That(afterLongIdle.Remaining, Is.EqualTo(1), "refill is capped at the burst of 2");
        Assert.That(afterLongIdle.Limit, Is.EqualTo(2));
    }

    [Test]
    public void Acquire_DifferentPartitionsAndPolicies_AreCountedSeparately()
    {
        var store = new InMemoryRateLimitStore(timeProvider: _clock);
        var strict = new RateLimitRule("strict", RateLimitAlgorithm.SlidingWindow, 1, TimeSpan.FromMinutes(1));
        var other = new RateLimitRule("other", RateLimitAlgorithm.SlidingWindow, 1, TimeSpan.FromMinutes(1));

        var results = new[] { store.Acquire("a", strict), store.Acquire("b", strict), store.Acquire("a", other), store.Acquire("a", strict) };

        Assert.That(results.Select(r => r.Allowed), Is.EqualTo(new[] { true, true, true, false }));
    }

    [Test]
    public async Task Acquire_ManyConcurrentCallers_AllowExactlyTheLimit()
    {
        var store = new InMemoryRateLimitStore();
        var rule = new RateLimitRule("p", RateLimitAlgorithm.SlidingWindow, 50, TimeSpan.FromMinutes(1));

        var decisions = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => store.Acquire("hot", rule))));

        Assert.That(decisions.Count(d => d.Allowed), Is.EqualTo(50));
    }

    [Test]
    public void IdlePartitions_AreEvictedOnTheNextSweep()
    {
        var store = new InMemoryRateLimitStore(new InMemoryRateLimitStoreOptions { SweepInterval = TimeSpan.FromSeconds(5) }, _clock);
        var window = new RateLimitRule("w", RateLimitAlgorithm.SlidingWindow, 5, TimeSpan.FromSeconds(1));
        var bucket = new RateLimitRule("b", RateLimitAlgorithm.TokenBucket, 5, TimeSpan.FromSeconds(1));
        for (var i = 0; i < 100; i++)
        {
            store.Acquire($"w{i}", window);
            store.Acquire($"b{i}", bucket);
        }

        var tracked = store.PartitionCount;
        _clock.Advance(TimeSpan.FromSeconds(6));
        store.Acquire("fresh", window);

        Assert.That(tracked, Is.EqualTo(200));
        Assert.That(store.PartitionCount, Is.EqualTo(1));
    }

    [Test]
    public void PartitionCap_NewPartitionsShareAnOverflowLimiterInsteadOfGrowingMemory()
    {
        var store = new InMemoryRateLimitStore(new InMemoryRateLimitStoreOptions { MaxPartitions = 2 }, _clock);
        var rule = new RateLimitRule("p", RateLimitAlgorithm.SlidingWindow, 1, TimeSpan.FromMinutes(1));
        store.Acquire("a", rule);
        store.Acquire("b", rule);

        var c = store.Acquire("c", rule);
        var d = store.Acquire("d", rule);

        Assert.That(store.PartitionCount, Is.EqualTo(2));
        Assert.That(c.Allowed, Is.True);
        Assert.That(d.Allowed, Is.False, "partitions beyond the cap share one limiter, so traffic stays bounded");
    }
}
