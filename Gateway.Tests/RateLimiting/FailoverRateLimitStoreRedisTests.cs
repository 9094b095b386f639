using System.Diagnostics;
using Gateway.Tests.Redis;
using Gateway.Transforms.RateLimiting;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.RateLimiting;

/// <summary>Fail-open and recovery against a real server that is killed and restarted mid-run.</summary>
public sealed class FailoverRateLimitStoreRedisTests
{
    [TestCase(RedisServerKind.Garnet)]
    [TestCase(RedisServerKind.Redis)]
    public async Task ServerKilledMidRun_FailsOpenToLocalLimitsThenReturnsToRedis(RedisServerKind kind)
    {
        await using var server = await RedisServerFixture.StartAsync(kind);
        await using var connection = server.CreateConnection(commandTimeout: TimeSpan.FromMilliseconds(500));
        var logs = new RecordingLoggerFactory();
        var store = new FailoverRateLimitStore(connection, logs, new FailoverRateLimitStoreOptions
        {
            ProbeBaseDelay = TimeSpan.FromMilliseconds(50),
            ProbeMaxDelay = TimeSpan.FromMilliseconds(200),
        });
        var rule = new RateLimitRule("tools", RateLimitAlgorithm.SlidingWindow, 10, TimeSpan.FromMinutes(1));

        // Garnet's first script run can take longer than the command timeout (Lua engine start-up); let it settle.
        var warmedUp = await AcquireUntilRedisAnswersAsync(store, rule);
        var beforeOutage = await AcquireManyAsync(store, rule, "client", 5);
        var killed = System.Diagnostics.Stopwatch.StartNew();
        var availableBeforeOutage = store.IsRedisAvailable;
        var outagesBeforeKill = store.OutageCount;
        var warningsBeforeKill = CountWarnings(logs);
        await server.StopAsync();
        var duringOutage = await AcquireManyAsync(store, rule, "client", 30);
        var outageDecisionsTook = killed.Elapsed;
        var availableDuringOutage = store.IsRedisAvailable;
        await server.StartAsync();
        var returned = await AcquireUntilRedisIsBackAsync(store, rule);
        var afterRecovery = await store.AcquireAsync("after", rule, CancellationToken.None);
        await using var admin = await server.ConnectAdminAsync();
        var ttl = await admin.GetDatabase().KeyTimeToLiveAsync(RateLimitKeys.For(RedisRateLimitStore.DefaultKeyPrefix, rule, "after"));

        Assert.That(warmedUp, Is.True, "Redis answered before the outage");
        Assert.That(beforeOutage.Select(d => d.Allowed), Is.All.True);
        Assert.That(availableBeforeOutage, Is.True);
        Assert.That(duringOutage.Take(10).Select(d => d.Allowed), Is.All.True, "the outage itself rejects nothing");
        Assert.That(duringOutage.Count(d => d.Allowed), Is.EqualTo(10), "the local limiter bounds traffic");
        Assert.That(availableDuringOutage, Is.False);
        Assert.That(outageDecisionsTook, Is.LessThan(TimeSpan.FromSeconds(3)), "a lost connection fails open at once, without waiting for timeouts");
        Assert.That(CountWarnings(logs) - warningsBeforeKill, Is.EqualTo(1), "one warning per outage");
        Assert.That(returned, Is.True, "the store returns to Redis once the server is back");
        Assert.That(afterRecovery.Allowed, Is.True);
        Assert.That(ttl, Is.GreaterThan(TimeSpan.Zero), "the decision after recovery was made in Redis");
        Assert.That(store.OutageCount - outagesBeforeKill, Is.EqualTo(1));
    }

    private static async Task<List<RateLimitDecision>> AcquireManyAsync(IRateLimitStore store, RateLimitRule rule, string partition, int count)
    {
        var decisions = new List<RateLimitDecision>();
        for (var i = 0; i < count; i++)
        {
            decisions.Add(await store.AcquireAsync(partition, rule, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        }

        return decisions;
    }

    private static int CountWarnings(RecordingLoggerFactory logs) =>
        logs.Entries.Count(e => e.Level == LogLevel.Warning && e.Category == FailoverRateLimitStore.LogCategory);

    private static async Task<bool> AcquireUntilRedisAnswersAsync(FailoverRateLimitStore store, RateLimitRule rule)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(20))
        {
            var outages = store.OutageCount;
            await store.AcquireAsync("warm-up", rule, CancellationToken.None);
            if (store.IsRedisAvailable && store.OutageCount == outages)
            {
                return true;
            }

            await Task.Delay(20);
        }

        return false;
    }

    private static async Task<bool> AcquireUntilRedisIsBackAsync(FailoverRateLimitStore store, RateLimitRule rule)
    {
        var waited = Stopwatch.StartNew();
        while (!store.IsRedisAvailable && waited.Elapsed < TimeSpan.FromSeconds(20))
        {
            await store.AcquireAsync("probe-trigger", rule, CancellationToken.None);
            await Task.Delay(20);
        }

        return store.IsRedisAvailable;
    }
}
