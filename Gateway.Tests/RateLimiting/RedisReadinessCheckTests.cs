using Gateway.Proxy.Health;
using Gateway.Proxy.RateLimiting;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.RateLimiting;

public sealed class RedisReadinessCheckTests
{
    [Test]
    public async Task GatewayWithoutRedis_ReportsHealthyNotConfigured()
    {
        await using var gateway = await TestGateway.StartAsync(new RoutesJson().ToString());
        var check = gateway.GetRequiredService<IEnumerable<IReadinessCheck>>().Single(c => c.Name == "redis");

        var result = await check.CheckAsync(CancellationToken.None);

        Assert.That(result.Status, Is.EqualTo(ReadinessStatus.Healthy));
        Assert.That(result.Detail, Does.StartWith("not configured"));
        Assert.That(gateway.Services.GetService(typeof(RedisRateLimitBackend)), Is.Null, "limits stay in process");
    }

    [Test]
    public async Task UnreachableRedis_IsDegradedFromTheStartAndNamesTheServerWithoutPassword()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:RateLimiting:RedisUrl"] = "redis://:hunter2@127.0.0.1:1/0",
            ["Gateway:RateLimiting:RedisProbeDelay"] = "00:00:00.050",
            ["Gateway:RateLimiting:RedisProbeMaxDelay"] = "00:00:00.100",
        };
        await using var gateway = await TestGateway.StartAsync(new RoutesJson().ToString(), settings);
        var check = gateway.GetRequiredService<IEnumerable<IReadinessCheck>>().Single(c => c.Name == "redis");

        var atStart = await check.CheckAsync(CancellationToken.None);
        var result = atStart;
        for (var waited = 0; result.Detail?.Contains("unreachable") != true && waited < 200; waited++)
        {
            await Task.Delay(50);
            result = await check.CheckAsync(CancellationToken.None);
        }

        Assert.That(atStart.Status, Is.EqualTo(ReadinessStatus.Degraded), "not Healthy before Redis has answered once");
        Assert.That(result.Status, Is.EqualTo(ReadinessStatus.Degraded), "an outage at boot shows before any request");
        Assert.That(result.Detail, Does.Contain("127.0.0.1:1").And.Contain("fail open").And.Not.Contain("hunter2"));
    }
}
