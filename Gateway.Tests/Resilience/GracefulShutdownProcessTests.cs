using System.Net;
using Gateway.Proxy.Observability.Audit;
using Gateway.Tests.Infrastructure;
using Gateway.Transforms.Pipeline;

namespace Gateway.Tests.Resilience;

/// <summary>SIGTERM to the real gateway process: every accepted request completes, readiness drops, the process exits 0.</summary>
[Platform(Exclude = "Win")]
public sealed class GracefulShutdownProcessTests
{
    [Test]
    public async Task Sigterm_WithRequestsInFlight_AllCompleteAndProcessExitsZero()
    {
        await using var backend = await FaultyBackend.StartAsync();
        var directory = Path.Combine(Path.GetTempPath(), "gateway-tests", "sigterm-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var routesPath = Path.Combine(directory, "routes.json");
        var auditPath = Path.Combine(directory, "audit", "audit.jsonl");
        await File.WriteAllTextAsync(routesPath, new RoutesJson().Cluster("slow", backend.Address).Tool("slow_tool", "slow", "POST /work")
            .Route("api", """{"ClusterId":"slow","Match":{"Path":"/api/{**rest}"}}""").ToString());
        await using var gateway = await GatewayProcess.StartAsync(directory,
            $"--Gateway:RoutesPath={routesPath}", $"--Gateway:Audit:Path={auditPath}",
            "--Gateway:Resilience:PreStopDelay=00:00:02", "--Gateway:Resilience:DrainTimeout=00:00:30");
        using var http = new HttpClient { BaseAddress = gateway.Address, Timeout = TimeSpan.FromSeconds(60) };
        backend.Hold();
        var toolCalls = Enumerable.Range(0, 4).Select(_ => GatewayProbe.CallToolTextAsync(http, "slow_tool")).ToArray();
        var mcpCalls = Enumerable.Range(0, 2).Select(i => http.SendAsync(McpHttp.Post(new Uri(gateway.Address, "mcp"),
            McpHttp.Request(i + 1, "tools/call", """{"name":"slow_tool","arguments":{}}""")))).ToArray();
        var passthrough = Enumerable.Range(0, 2).Select(_ => http.GetAsync("api/report")).ToArray();
        await backend.WaitForInFlightAsync(8);
        using var readyBefore = await http.GetAsync("ready");

        await gateway.SendSigtermAsync();
        await gateway.WaitForOutputAsync("/ready reports draining", TimeSpan.FromSeconds(10));
        using var duringPreStop = await http.GetAsync("health");
        using var readyWhileDraining = await http.GetAsync("ready");
        backend.Release();

        var tools = await Task.WhenAll(toolCalls);
        var mcp = await Task.WhenAll(mcpCalls);
        var rest = await Task.WhenAll(passthrough);
        var exitCode = await gateway.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.That(tools.Select(t => t.Status), Is.All.EqualTo(200), gateway.Output);
        foreach (var response in mcp)
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            var message = await McpHttp.ReadMessageAsync(response);
            Assert.That(message["result"]?["isError"]?.GetValue<bool>(), Is.Not.True, message.ToJsonString());
        }

        Assert.That(rest.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(duringPreStop.StatusCode, Is.EqualTo(HttpStatusCode.OK), "still serving after draining began, during the pre-stop delay");
        Assert.That(readyBefore.StatusCode, Is.EqualTo(HttpStatusCode.OK), "/ready before SIGTERM");
        Assert.That(readyWhileDraining.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "/ready reports draining");

        Assert.That(exitCode, Is.EqualTo(0), gateway.Output);
        Assert.That(backend.Requests, Is.EqualTo(8));
        Assert.That(File.ReadAllLines(auditPath).Count(l => l.Length > 0), Is.EqualTo(8), "one audit line per request, flushed before exit");

        Directory.Delete(directory, recursive: true);
    }

    [Test]
    public async Task Sigterm_WhenIdle_ExitsZeroAndRefusesNewConnections()
    {
        var directory = Path.Combine(Path.GetTempPath(), "gateway-tests", "sigterm-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var routesPath = Path.Combine(directory, "routes.json");
        await File.WriteAllTextAsync(routesPath, """{"ReverseProxy":{"Routes":{},"Clusters":{}}}""");
        await using var gateway = await GatewayProcess.StartAsync(directory, $"--Gateway:RoutesPath={routesPath}", $"--Gateway:Audit:Path={Path.Combine(directory, "audit.jsonl")}");

        await gateway.SendSigtermAsync();
        var exitCode = await gateway.WaitForExitAsync(TimeSpan.FromSeconds(30));

        using var http = new HttpClient { BaseAddress = gateway.Address };
        Assert.That(exitCode, Is.EqualTo(0), gateway.Output);
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("health"));
        Directory.Delete(directory, recursive: true);
    }
}
