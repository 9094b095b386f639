using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Observability.Metrics;
using Gateway.Proxy.Federation.Health;

namespace Gateway.Tests.Federation.Pinning;

/// <summary>The dual health check of an upstream (its cluster's REST health and a tools/list on its session) in /status/servers/{name} and metrics.</summary>
public sealed class UpstreamHealthTests
{
    [Test]
    public async Task LiveUpstream_IsHealthy_WithNothingMissing()
    {
        await using var upstream = await RedescribableUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(FederatedRoutes.With(new RoutesJson(), ("up", upstream.Address, "{}")));
        await FederatedRoutes.WaitForToolAsync(gateway.Services, "up__lookup");
        using var http = new HttpClient { BaseAddress = gateway.Address };

        var status = (await http.GetFromJsonAsync<JsonObject>("status/servers/up"))!;
        var overview = (await http.GetFromJsonAsync<JsonObject>("status/servers"))!;

        Assert.Multiple(() =>
        {
            Assert.That((string?)status["server"], Is.EqualTo("up"), status.ToJsonString());
            Assert.That((string?)status["cluster"], Is.EqualTo("up-cluster"), "the upstream's cluster view is included");
            Assert.That((bool?)status["mcp_success"], Is.True);
            Assert.That((bool?)status["rest_success"], Is.True);
            Assert.That((string?)status["overall_status"], Is.EqualTo("healthy"));
            Assert.That(status["missing_tools"]!.AsArray(), Is.Empty);
            Assert.That(status["listed_tools"]!.AsArray().Select(t => (string?)t), Is.EqualTo(new[] { "echo", "lookup" }));
            Assert.That(DateTimeOffset.Parse((string)status["checked_at"]!), Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(1)));
            Assert.That(overview["upstreams"]!.AsArray().Select(u => (string?)u!["server"]), Is.EqualTo(new[] { "up" }));
        });
    }

    [Test]
    public async Task KilledUpstream_ShowsMcpFailure_WithItsMissingTools_InStatusAndPromtoolCleanMetrics()
    {
        var upstream = await RedescribableUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(FederatedRoutes.With(new RoutesJson(), ("up", upstream.Address, "{}")));
        await FederatedRoutes.WaitForToolAsync(gateway.Services, "up__lookup");
        using var http = new HttpClient { BaseAddress = gateway.Address, Timeout = TimeSpan.FromSeconds(30) };
        var monitor = gateway.GetRequiredService<UpstreamHealthMonitor>();
        await ToolPinningTests.WaitUntilAsync(() => monitor.Last("up") is { McpSuccess: true }, "the first dual check did not pass");
        var before = await http.GetStringAsync("metrics");

        await upstream.DisposeAsync();
        var status = (await http.GetFromJsonAsync<JsonObject>("status/servers/up"))!;
        var metrics = await http.GetStringAsync("metrics");
        var (exitCode, output) = await Promtool.CheckMetricsAsync(metrics);

        Assert.Multiple(() =>
        {
            Assert.That(ToolPinningTests.MetricValue(before, "mcp_upstream_check_success", "server=\"up\"", "check=\"mcp\""), Is.EqualTo("1"), before);
            Assert.That(ToolPinningTests.MetricValue(before, "mcp_tools_quarantined", "server=\"up\"", "reason=\"definition_changed\""), Is.EqualTo("0"), "at 0 from the start");
            Assert.That((bool?)status["mcp_success"], Is.False, status.ToJsonString());
            Assert.That((string?)status["mcp_error"], Is.Not.Empty);
            Assert.That(status["missing_tools"]!.AsArray().Select(t => (string?)t), Is.EqualTo(new[] { "echo", "lookup" }));
            Assert.That((string?)status["overall_status"], Is.AnyOf("degraded", "unhealthy"));
            Assert.That(status["last_mcp_success_at"]!.GetValueKind(), Is.EqualTo(System.Text.Json.JsonValueKind.String), "when it last answered");
            Assert.That(ToolPinningTests.MetricValue(metrics, "mcp_upstream_check_success", "server=\"up\"", "check=\"mcp\""), Is.EqualTo("0"));
            Assert.That(ToolPinningTests.MetricValue(metrics, "mcp_upstream_missing_tools", "server=\"up\""), Is.EqualTo("2"));
            Assert.That(ToolPinningTests.MetricValue(metrics, "mcp_upstream_status", "server=\"up\""), Is.AnyOf("1", "2"));
            Assert.That(exitCode, Is.EqualTo(0), output);
        });
    }

    [Test]
    public async Task StdioUpstream_HasNoRestSide_AndIsJudgedByItsMcpCheck()
    {
        ServerEverything.RequireInstalled();
        var entry = new JsonObject
        {
            ["Transport"] = "Stdio",
            ["Command"] = "node",
            ["Arguments"] = new JsonArray(ServerEverything.Script, "stdio"),
            ["WorkingDirectory"] = ServerEverything.SampleDirectory,
            ["Include"] = new JsonArray("echo", "get-sum"),
        };
        await using var gateway = await TestGateway.StartAsync(FederatedRoutes.With(new RoutesJson(), ("local", new Uri("http://127.0.0.1:9/"), entry.ToJsonString())),
            new Dictionary<string, string?> { ["Gateway:Federation:ConnectTimeout"] = "00:00:30", ["Gateway:Federation:Health:Timeout"] = "00:00:30" });
        await FederatedRoutes.WaitForToolAsync(gateway.Services, "local__echo");
        using var http = new HttpClient { BaseAddress = gateway.Address, Timeout = TimeSpan.FromSeconds(60) };

        var status = (await http.GetFromJsonAsync<JsonObject>("status/servers/local"))!;

        Assert.Multiple(() =>
        {
            Assert.That((string?)status["transport"], Is.EqualTo("Stdio"), status.ToJsonString());
            Assert.That(status.ContainsKey("cluster"), Is.False, "no cluster view: a Stdio upstream has no cluster");
            Assert.That(status["rest_success"], Is.Null);
            Assert.That((bool?)status["mcp_success"], Is.True);
            Assert.That((string?)status["overall_status"], Is.EqualTo("healthy"));
            Assert.That(status["listed_tools"]!.AsArray().Select(t => (string?)t), Is.EqualTo(new[] { "echo", "get-sum" }), "only what Include lets through");
        });
    }

    [Test]
    public async Task UnknownName_Is404_NamingBothKinds()
    {
        await using var gateway = await TestGateway.StartAsync(new RoutesJson().ToString());
        using var http = new HttpClient { BaseAddress = gateway.Address };

        using var response = await http.GetAsync("status/servers/nope");

        Assert.That((int)response.StatusCode, Is.EqualTo(404));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("No such cluster or upstream MCP server"));
    }
}
