using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Observability.Metrics;

namespace Gateway.Tests.Observability.Integration;

/// <summary>/status/servers/{cluster} for a backend that itself speaks MCP (here: another gateway), and promtool on a live scrape.</summary>
public sealed class McpBackendStatusTests
{
    [Test]
    public async Task StatusOfMcpCluster_ListsBackendToolsAndReportsMissingExpectedOnes()
    {
        await using var echo = await TestBackend.StartEchoAsync();
        await using var inner = await TestGateway.StartAsync(new RoutesJson().Cluster("echo", echo.Address).Tool("inner_tool", "echo", "POST /x").ToString());
        var outerRoutes = new RoutesJson()
            .ClusterRaw("mcp-backend", $$"""
                { "Metadata": { "Gateway.Mcp.Endpoint": "/mcp", "Gateway.Mcp.ExpectedTools": "inner_tool,vanished_tool" },
                  "Destinations": { "d1": { "Address": "{{inner.Address}}" } } }
                """)
            .Route("mcp-passthrough", """{"ClusterId":"mcp-backend","Match":{"Path":"/inner/{**rest}"}}""");
        await using var outer = await TestGateway.StartAsync(outerRoutes.ToString());
        using var http = new HttpClient { BaseAddress = outer.Address };

        var status = await http.GetFromJsonAsync<JsonObject>("status/servers/mcp-backend");

        Assert.That((bool?)status!["mcp"]!["reachable"], Is.True, status.ToJsonString());
        Assert.That(status["mcp"]!["tools"]!.AsArray().Select(t => (string?)t), Is.EqualTo(new[] { "inner_tool" }));
        Assert.That(status["mcp"]!["missing_tools"]!.AsArray().Select(t => (string?)t), Is.EqualTo(new[] { "vanished_tool" }));
    }

    [Test]
    public async Task LiveMetricsAfterTraffic_PassPromtool()
    {
        await using var echo = await TestBackend.StartEchoAsync();
        await using var gateway = await TestGateway.StartAsync(new RoutesJson().Cluster("echo", echo.Address).Tool("t", "echo", "POST /x")
            .Route("api", """{"ClusterId":"echo","Match":{"Path":"/api/{**rest}"}}""").ToString());
        using var http = new HttpClient { BaseAddress = gateway.Address };
        (await http.PostAsJsonAsync("tools/call", new { tool = "t", arguments = new { } })).Dispose();
        (await http.PostAsJsonAsync("tools/call", new { tool = "missing" })).Dispose();
        (await http.GetAsync("api/a")).Dispose();

        var exposition = await http.GetStringAsync("metrics");
        var (exitCode, output) = await Promtool.CheckMetricsAsync(exposition);

        Assert.That(exposition, Does.Contain("mcp_tool_calls_total{tool_name=\"t\"} 1"));
        Assert.That(exposition, Does.Contain("kestrel").Or.Contain("http_server_request_duration_seconds"));
        Assert.That(exitCode, Is.EqualTo(0), output);
    }
}
