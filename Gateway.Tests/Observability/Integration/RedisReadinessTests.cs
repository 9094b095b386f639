using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Observability.Integration;

/// <summary>/ready through HTTP with Redis configured but unreachable: degraded (still serving, limits fail open), not 503.</summary>
public sealed class RedisReadinessTests
{
    [Test]
    public async Task Ready_WithUnreachableRedis_IsDegradedNotUnavailable_AndCallsStillSucceed()
    {
        await using var echo = await TestBackend.StartEchoAsync();
        var deadPort = FreePort.Next();
        await using var gateway = await TestGateway.StartAsync(
            new RoutesJson().Cluster("echo", echo.Address).Route("api", """{"ClusterId":"echo","Match":{"Path":"/api/{**rest}"}}""").ToString(),
            new Dictionary<string, string?> { ["Gateway:RateLimiting:RedisUrl"] = $"redis://127.0.0.1:{deadPort}" });
        using var http = new HttpClient { BaseAddress = gateway.Address };

        using var ready = await http.GetAsync("ready");
        var body = await ready.Content.ReadFromJsonAsync<JsonObject>();
        using var call = await http.GetAsync("api/x");

        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((string?)body!["status"], Is.EqualTo("degraded"));
        Assert.That((string?)body["checks"]!["redis"]!["status"], Is.EqualTo("degraded"));
        Assert.That(call.StatusCode, Is.EqualTo(HttpStatusCode.OK), "no request is rejected for lack of Redis");
        Assert.That(call.Headers.Contains("X-RateLimit-Limit"), Is.True, "local limits still apply");
    }

}
