using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Gateway.Proxy.Health;
using Gateway.Proxy.RateLimiting;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Observability.Metrics;
using Gateway.Tests.Redis;
using Gateway.Transforms.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Gateway.Tests.RateLimiting;

/// <summary>The gateway with shared limits in a real Garnet or redis-server: exactness across replicas, fail-open, recovery.</summary>
[TestFixture(RedisServerKind.Garnet)]
[TestFixture(RedisServerKind.Redis)]
public sealed class RateLimitingRedisGatewayTests(RedisServerKind kind)
{
    private static readonly HttpStatusCode[] LimiterOutcomes = [HttpStatusCode.OK, HttpStatusCode.TooManyRequests];

    private RedisServerFixture _server = null!;
    private TestBackend _backend = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await RedisServerFixture.StartAsync(kind);
        _backend = await TestBackend.StartEchoAsync();
        _http = new HttpClient();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _backend.DisposeAsync();
        await _server.DisposeAsync();
    }

    /// <summary>Every test starts with a running, empty server (one server per fixture: Garnet takes seconds to start).</summary>
    [SetUp]
    public async Task EmptyServerAsync()
    {
        await _server.StartAsync();
        await FlushAllAsync();
    }

    /// <summary>
    /// The cold-start case: with a 50 ms budget a replica's first burst flipped it to per-replica limits, and two
    /// replicas allowed 37 of 60 against a limit of 20. Fresh pairs, default Redis settings, no wait for readiness.
    /// </summary>
    [Test]
    public async Task FreshPairsOfGateways_WithoutWarmUp_AllowExactlyTheLimitFromTheFirstRequest()
    {
        const int Pairs = 4;
        var allowed = new List<int>();
        var outages = new List<long>();
        using var logs = new RecordingLoggerFactory();
        for (var pair = 0; pair < Pairs; pair++)
        {
            await FlushAllAsync();
            var started = await Task.WhenAll(
                StartGatewayAsync(limit: 20, logs, defaultRedisSettings: true), StartGatewayAsync(limit: 20, logs, defaultRedisSettings: true));
            await using var first = started[0];
            await using var second = started[1];

            var responses = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => SendAsync(i % 2 == 0 ? first : second, toolCall: i % 4 < 2, i)));

            allowed.Add(responses.Count(s => s == HttpStatusCode.OK));
            outages.Add(Backend(first).Store.OutageCount + Backend(second).Store.OutageCount + Backend(first).Store.FallbackDecisionCount
                + Backend(second).Store.FallbackDecisionCount);
            Assert.That(responses.Distinct(), Is.SubsetOf(LimiterOutcomes));
        }

        Assert.That(allowed, Is.EqualTo(Enumerable.Repeat(20, Pairs)),
            "allowed calls per fresh pair; log: " + string.Join(" | ", logs.Entries.Where(e => e.Level >= LogLevel.Information).Select(e => e.Message)));
        Assert.That(outages, Is.All.Zero, "no decision of any pair was answered locally");
    }

    [Test]
    public async Task TenantPartitionedLimit_KeysStartWithTheTenant_SoTheRunbooksKeysPatternFindsThem()
    {
        await using var gateway = await TestGateway.StartAsync(
            new RoutesJson()
                .Cluster("backend", _backend.Address)
                .Route("api", """{"ClusterId":"backend","Match":{"Path":"/api/{**rest}"},"RateLimiterPolicy":"per-tenant"}""")
                .ToString(),
            new Dictionary<string, string?>
            {
                ["Gateway:RateLimiting:RedisUrl"] = _server.Url,
                ["Gateway:RateLimiting:Policies:per-tenant:PermitLimit"] = "1",
                ["Gateway:RateLimiting:Policies:per-tenant:Window"] = "00:01:00",
                ["Gateway:RateLimiting:Policies:per-tenant:PartitionBy:0"] = "principal",
                ["Gateway:RateLimiting:Policies:per-tenant:PartitionBy:1"] = "tenant",
            },
            TestHeaderAuthentication.AddTo);
        await WaitForRedisAsync(gateway, ReadinessStatus.Healthy);

        var statuses = new List<HttpStatusCode>();
        foreach (var tenant in new[] { "tenant-123", "tenant-123", "tenant-1234", "tenant-123:x" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway.Address, "api/x"));
            foreach (var (name, value) in TestHeaderAuthentication.Headers("alice", tenant: tenant))
            {
                request.Headers.Add(name, value);
            }

            using var response = await _http.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        var tenantKeys = await KeysAsync("ratelimit:tenant-123:*");

        Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.OK, HttpStatusCode.OK }));
        Assert.That(tenantKeys, Is.EqualTo(new[] { "ratelimit:tenant-123:u=sub%3Aalice:per-tenant:sw" }),
            "one key, the tenant's; neither tenant-1234 nor a tenant id containing ':' matches");
        Assert.That(await KeysAsync("ratelimit:tenant-123%3Ax:*"), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task TwoGatewaysSharingRedis_AllowExactlyTheLimitOfConcurrentRequests()
    {
        await using var first = await StartGatewayAsync(limit: 20);
        await using var second = await StartGatewayAsync(limit: 20);
        await WaitForRedisAsync(first, ReadinessStatus.Healthy);
        await WaitForRedisAsync(second, ReadinessStatus.Healthy);

        // Passthrough GETs and REST facade tool calls, half through each replica, all in one partition (the client IP).
        var responses = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => SendAsync(i % 2 == 0 ? first : second, toolCall: i % 4 < 2, i)));

        Assert.That(responses.Count(s => s == HttpStatusCode.OK), Is.EqualTo(20));
        Assert.That(responses.Count(s => s == HttpStatusCode.TooManyRequests), Is.EqualTo(40));
        Assert.That(Backend(first).Store.OutageCount + Backend(second).Store.OutageCount, Is.Zero, "every decision was made in Redis");
    }

    [Test]
    public async Task RedisKilledMidLoad_NoRequestFails_LocalLimitsBoundTraffic_AndRedisReturns()
    {
        using var logs = new RecordingLoggerFactory();
        await using var gateway = await StartGatewayAsync(limit: 25, logs);
        await WaitForRedisAsync(gateway, ReadinessStatus.Healthy);
        var beforeOutage = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            beforeOutage.Add(await SendAsync(gateway, toolCall: false, i));
        }

        // From here on Redis's budget for this window is spent, so every 200 comes from the local limiter until Redis
        // restarts (empty: the fixture keeps no data), which brings one fresh Redis budget.
        var outagesBeforeKill = Backend(gateway).Store.OutageCount;
        var warningsBeforeKill = OutageWarnings(logs);
        var load = new LoadRun(this, gateway);
        await load.WaitForRequestsAsync(20);
        await _server.StopAsync();
        var degraded = await WaitForRedisAsync(gateway, ReadinessStatus.Degraded);
        await load.WaitForRequestsAsync(load.Count + 100);
        await _server.StartAsync();
        var recovered = await WaitForRedisAsync(gateway, ReadinessStatus.Healthy);
        await load.WaitForRequestsAsync(load.Count + 20);
        var (statuses, failures) = await load.StopAsync();
        var keys = await RedisKeyCountAsync();
        var metrics = await _http.GetStringAsync(new Uri(gateway.Address, "metrics"));

        Assert.That(beforeOutage.Count(s => s == HttpStatusCode.OK), Is.EqualTo(25),
            "Redis decided exactly before the outage; log: " + string.Join(" | ", logs.Entries.Select(e => e.Message)));
        Assert.That(degraded.Status, Is.EqualTo(ReadinessStatus.Degraded));
        Assert.That(degraded.Detail, Does.Contain("fail open"));
        Assert.That(recovered.Status, Is.EqualTo(ReadinessStatus.Healthy));
        Assert.That(failures, Is.Empty, "no request fails during the outage");
        Assert.That(statuses.Distinct(), Is.SubsetOf(LimiterOutcomes), "every response is the limiter's answer");
        Assert.That(statuses.Count(s => s == HttpStatusCode.OK), Is.InRange(25, 50), "local limits (25) plus one fresh Redis budget (25) bound the load");
        Assert.That(statuses, Has.Some.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(Backend(gateway).Store.OutageCount - outagesBeforeKill, Is.EqualTo(1));
        Assert.That(OutageWarnings(logs) - warningsBeforeKill, Is.EqualTo(1), "one warning per outage");
        Assert.That(keys, Is.GreaterThan(0), "decisions are made in Redis again");
        var exposition = PrometheusExposition.Parse(metrics);
        Assert.That(exposition.Value("mcp_redis_outages_total"), Is.EqualTo(Backend(gateway).Store.OutageCount));
        Assert.That(exposition.Value("mcp_redis_available"), Is.EqualTo(1));
    }

    [Test]
    public async Task ScriptFlush_ScriptsAreReloadedWithoutFailingOpen()
    {
        await using var gateway = await StartGatewayAsync(limit: 5);
        await WaitForRedisAsync(gateway, ReadinessStatus.Healthy);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add(await SendAsync(gateway, toolCall: i == 1, i));
        }

        await using (var admin = await _server.ConnectAdminAsync())
        {
            await admin.GetServer(admin.GetEndPoints()[0]).ScriptFlushAsync();
        }

        for (var i = 3; i < 6; i++)
        {
            statuses.Add(await SendAsync(gateway, toolCall: i == 4, i));
        }

        Assert.That(statuses, Is.EqualTo(new[]
        {
            HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests,
        }), "one budget of 5 spans the flush");
        Assert.That(Backend(gateway).Store.OutageCount, Is.Zero);
    }

    private static RedisRateLimitBackend Backend(TestGateway gateway) => gateway.GetRequiredService<RedisRateLimitBackend>();

    private static int OutageWarnings(RecordingLoggerFactory logs) =>
        logs.Entries.Count(e => e.Level == LogLevel.Warning && e.Category == "mcp_gateway.security" && e.EventId.Name == "RateLimitRedisUnavailable");

    private static async Task<ReadinessResult> WaitForRedisAsync(TestGateway gateway, ReadinessStatus expected)
    {
        var check = gateway.GetRequiredService<IEnumerable<IReadinessCheck>>().Single(c => c.Name == "redis");
        var waited = Stopwatch.StartNew();
        var result = await check.CheckAsync(CancellationToken.None);
        while (result.Status != expected && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(20);
            result = await check.CheckAsync(CancellationToken.None);
        }

        return result;
    }

    private Task<TestGateway> StartGatewayAsync(int limit, RecordingLoggerFactory? logs = null, bool defaultRedisSettings = false)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:RateLimiting:RedisUrl"] = _server.Url,
            ["Gateway:RateLimiting:Policies:shared:PermitLimit"] = limit.ToString(),
            ["Gateway:RateLimiting:Policies:shared:Window"] = "00:01:00",
        };
        if (!defaultRedisSettings)
        {
            settings["Gateway:RateLimiting:RedisCommandTimeout"] = "00:00:02";
            settings["Gateway:RateLimiting:RedisConnectTimeout"] = "00:00:02";
            settings["Gateway:RateLimiting:RedisProbeDelay"] = "00:00:00.050";
            settings["Gateway:RateLimiting:RedisProbeMaxDelay"] = "00:00:00.250";
        }

        return TestGateway.StartAsync(
            new RoutesJson()
                .Cluster("backend", _backend.Address)
                .Tool("echo", "backend", "POST /echo", routeExtras: """{"RateLimiterPolicy":"shared"}""")
                .Route("api", """{"ClusterId":"backend","Match":{"Path":"/api/{**rest}"},"RateLimiterPolicy":"shared"}""")
                .ToString(),
            settings,
            builder =>
            {
                if (logs is not null)
                {
                    builder.Logging.AddProvider(new RecordingLoggerProvider(logs));
                }
            });
    }

    private async Task<HttpStatusCode> SendAsync(TestGateway gateway, bool toolCall, int sequence)
    {
        using var response = toolCall
            ? await _http.PostAsJsonAsync(new Uri(gateway.Address, "tools/call"), new { tool = "echo", arguments = new { sequence } })
            : await _http.GetAsync(new Uri(gateway.Address, "api/" + sequence));
        return response.StatusCode;
    }

    private async Task<long> RedisKeyCountAsync() => (await KeysAsync(RedisRateLimitStore.DefaultKeyPrefix + "*:shared:sw")).Length;

    private async Task<string[]> KeysAsync(string pattern)
    {
        await using var admin = await _server.ConnectAdminAsync();
        return ((string[]?)await admin.GetDatabase().ExecuteAsync("KEYS", pattern))!;
    }

    private async Task FlushAllAsync()
    {
        await using var admin = await _server.ConnectAdminAsync();
        await admin.GetServer(admin.GetEndPoints()[0]).FlushAllDatabasesAsync();
    }

    /// <summary>Four callers sending passthrough requests back to back until stopped; records every outcome.</summary>
    private sealed class LoadRun
    {
        private readonly ConcurrentQueue<HttpStatusCode> _statuses = new();
        private readonly ConcurrentQueue<Exception> _failures = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly Task[] _workers;

        public LoadRun(RateLimitingRedisGatewayTests test, TestGateway gateway) =>
            _workers = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
            {
                for (var i = 0; !_stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        _statuses.Enqueue(await test.SendAsync(gateway, toolCall: false, (worker * 1_000_000) + i));
                    }
                    catch (Exception ex)
                    {
                        _failures.Enqueue(ex);
                    }

                    await Task.Delay(2);
                }
            })).ToArray();

        public int Count => _statuses.Count + _failures.Count;

        public async Task WaitForRequestsAsync(int count)
        {
            var waited = Stopwatch.StartNew();
            while (Count < count && waited.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(10);
            }
        }

        public async Task<(HttpStatusCode[] Statuses, Exception[] Failures)> StopAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_workers).WaitAsync(TimeSpan.FromSeconds(30));
            _stop.Dispose();
            return (_statuses.ToArray(), _failures.ToArray());
        }
    }
}
