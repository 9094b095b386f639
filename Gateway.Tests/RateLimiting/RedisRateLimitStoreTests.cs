using Gateway.Tests.Redis;
using Gateway.Transforms.RateLimiting;
using StackExchange.Redis;

namespace Gateway.Tests.RateLimiting;

[TestFixture(RedisServerKind.Garnet)]
[TestFixture(RedisServerKind.Redis)]
public sealed class RedisRateLimitStoreTests(RedisServerKind kind)
{
    private RedisServerFixture _server = null!;
    private RedisConnection _connection = null!;
    private ConnectionMultiplexer _admin = null!;
    private RedisRateLimitStore _store = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _server = await RedisServerFixture.StartAsync(kind);
        _connection = _server.CreateConnection();
        _admin = await _server.ConnectAdminAsync();
        _store = new RedisRateLimitStore(_connection);
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        if (_admin is not null)
        {
            await _admin.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [TestCase(RateLimitAlgorithm.SlidingWindow)]
    [TestCase(RateLimitAlgorithm.TokenBucket)]
    public async Task TwoReplicas_ConcurrentBurst_AllowExactlyTheLimit(RateLimitAlgorithm algorithm)
    {
        await using var secondConnection = _server.CreateConnection();
        var replicas = new[] { _store, new RedisRateLimitStore(secondConnection) };
        var rule = new RateLimitRule(Policy(), algorithm, 50, TimeSpan.FromMinutes(10));

        var decisions = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            replicas[i % 2].AcquireAsync("shared-client", rule, CancellationToken.None).AsTask()));

        var allowed = decisions.Where(d => d.Allowed).ToArray();
        Assert.That(allowed, Has.Length.EqualTo(50));
        Assert.That(allowed.Select(d => d.Remaining).Order(), Is.EqualTo(Enumerable.Range(0, 50)), "each permit saw its own count");
        Assert.That(decisions.Where(d => !d.Allowed).Select(d => d.RetryAfter), Is.All.GreaterThan(TimeSpan.Zero));
    }

    [Test]
    public async Task SlidingWindow_Rejection_ReportsRetryAfterAndResetFromTheServerClock()
    {
        var rule = new RateLimitRule(Policy(), RateLimitAlgorithm.SlidingWindow, 2, TimeSpan.FromSeconds(30));

        var first = await _store.AcquireAsync("c", rule, CancellationToken.None);
        await _store.AcquireAsync("c", rule, CancellationToken.None);
        var rejected = await _store.AcquireAsync("c", rule, CancellationToken.None);
        var serverNow = new DateTimeOffset(await _admin.GetServer(_admin.GetEndPoints()[0]).TimeAsync());

        Assert.That(first.Allowed, Is.True);
        Assert.That(first.Remaining, Is.EqualTo(1));
        Assert.That(first.Limit, Is.EqualTo(2));
        Assert.That(rejected.Allowed, Is.False);
        Assert.That(rejected.RetryAfter, Is.GreaterThan(TimeSpan.FromSeconds(25)).And.LessThanOrEqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(rejected.ResetAt, Is.EqualTo(serverNow.AddSeconds(30)).Within(TimeSpan.FromSeconds(5)));
    }

    [Test]
    public async Task TokenBucket_RefillsAfterRetryAfter()
    {
        var rule = new RateLimitRule(Policy(), RateLimitAlgorithm.TokenBucket, 5, TimeSpan.FromSeconds(1), BurstLimit: 3);
        var burst = new List<RateLimitDecision>();
        for (var i = 0; i < 4; i++)
        {
            burst.Add(await _store.AcquireAsync("c", rule, CancellationToken.None));
        }

        await Task.Delay(burst[3].RetryAfter + TimeSpan.FromMilliseconds(20));
        var afterRefill = await _store.AcquireAsync("c", rule, CancellationToken.None);

        Assert.That(burst.Select(d => d.Allowed), Is.EqualTo(new[] { true, true, true, false }));
        Assert.That(burst.Select(d => d.Remaining), Is.EqualTo(new[] { 2, 1, 0, 0 }));
        Assert.That(burst[3].RetryAfter, Is.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromMilliseconds(200)));
        Assert.That(afterRefill.Allowed, Is.True);
    }

    [TestCase(RateLimitAlgorithm.SlidingWindow)]
    [TestCase(RateLimitAlgorithm.TokenBucket)]
    public async Task Acquire_EveryKeyGetsATtlNoLongerThanTheWindow(RateLimitAlgorithm algorithm)
    {
        var rule = new RateLimitRule(Policy(), algorithm, 10, TimeSpan.FromSeconds(20));
        await _store.AcquireAsync("ttl-client", rule, CancellationToken.None);
        var key = RateLimitKeys.For(RedisRateLimitStore.DefaultKeyPrefix, rule, "ttl-client");

        var ttl = await _admin.GetDatabase().KeyTimeToLiveAsync(key);

        Assert.That(key, Is.EqualTo($"ratelimit:ttl-client:{rule.PolicyName}:{(algorithm == RateLimitAlgorithm.SlidingWindow ? "sw" : "tb")}"));
        Assert.That(ttl, Is.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromSeconds(20)));
    }

    [Test]
    public async Task Acquire_AfterScriptFlush_RecoversFromNoScript()
    {
        var rule = new RateLimitRule(Policy(), RateLimitAlgorithm.SlidingWindow, 2, TimeSpan.FromMinutes(1));
        await _store.AcquireAsync("c", rule, CancellationToken.None);
        await _admin.GetServer(_admin.GetEndPoints()[0]).ScriptFlushAsync();

        var second = await _store.AcquireAsync("c", rule, CancellationToken.None);
        var third = await _store.AcquireAsync("c", rule, CancellationToken.None);

        Assert.That(second.Allowed, Is.True);
        Assert.That(third.Allowed, Is.False, "state survived the script flush");
    }

    [Test]
    public async Task Acquire_LongPartitionKey_IsHashedIntoABoundedKey()
    {
        var rule = new RateLimitRule(Policy(), RateLimitAlgorithm.SlidingWindow, 1, TimeSpan.FromMinutes(1));
        var longPartition = new string('x', 10_000);

        var first = await _store.AcquireAsync(longPartition, rule, CancellationToken.None);
        var second = await _store.AcquireAsync(longPartition, rule, CancellationToken.None);

        Assert.That(RateLimitKeys.For("p:", rule, longPartition).Length, Is.LessThan(200));
        Assert.That(new[] { first.Allowed, second.Allowed }, Is.EqualTo(new[] { true, false }));
    }

    [Test]
    public async Task Acquire_LongPartitionOfATenant_KeepsTheTenantFirstSoItsKeysStillMatch()
    {
        var rule = new RateLimitRule(Policy(), RateLimitAlgorithm.TokenBucket, 5, TimeSpan.FromMinutes(1));
        var tenant = "tenant-" + Guid.NewGuid().ToString("N")[..8];

        await _store.AcquireAsync(tenant + ":u=" + new string('x', 500), rule, CancellationToken.None);
        var keys = await KeysAsync($"ratelimit:{tenant}:*");

        Assert.That(keys, Has.Length.EqualTo(1));
        Assert.That(keys[0], Does.Match($"^ratelimit:{tenant}:sha256=[0-9a-f]{{64}}:{rule.PolicyName}:tb$"));
    }

    [Test]
    public async Task Acquire_TwoPoliciesOnOnePartition_KeepSeparateBudgets()
    {
        var first = new RateLimitRule(Policy(), RateLimitAlgorithm.SlidingWindow, 1, TimeSpan.FromMinutes(1));
        var second = first with { PolicyName = Policy() };

        var firstPolicy = await _store.AcquireAsync("same-partition", first, CancellationToken.None);
        var secondPolicy = await _store.AcquireAsync("same-partition", second, CancellationToken.None);

        Assert.That(firstPolicy.Allowed, Is.True);
        Assert.That(secondPolicy.Allowed, Is.True, "a policy never spends another policy's budget");
    }

    [Test]
    public async Task Acquire_PartitionContainingThePolicySeparator_CannotReachAnotherPolicysKey()
    {
        // Were the policy not escaped, partition "a:b" under policy "c" and partition "a" under policy "b:c" would meet.
        var victim = new RateLimitRule("b:c" + Policy(), RateLimitAlgorithm.SlidingWindow, 1, TimeSpan.FromMinutes(1));
        var attacker = victim with { PolicyName = victim.PolicyName[2..] };

        await _store.AcquireAsync("a", victim, CancellationToken.None);
        var forged = await _store.AcquireAsync("a:b", attacker, CancellationToken.None);

        Assert.That(RateLimitKeys.For("ratelimit:", victim, "a"), Is.Not.EqualTo(RateLimitKeys.For("ratelimit:", attacker, "a:b")));
        Assert.That(forged.Allowed, Is.True);
    }

    private async Task<string[]> KeysAsync(string pattern)
    {
        var keys = await _admin.GetDatabase().ExecuteAsync("KEYS", pattern);
        return ((string[]?)keys)!;
    }

    private static string Policy() => $"policy-{Guid.NewGuid():N}";
}
