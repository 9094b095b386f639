using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using ModelContextProtocol.Client;

namespace Gateway.Tests.Resilience;

/// <summary>tools/list and GET /tools flag or hide tools whose cluster is unavailable (open circuit or no healthy destination).</summary>
public sealed class UnavailableToolsTests
{
    private FaultyBackend _flaky = null!;
    private FaultyBackend _steady = null!;

    [SetUp]
    public async Task StartBackendsAsync()
    {
        _flaky = await FaultyBackend.StartAsync();
        _steady = await FaultyBackend.StartAsync();
    }

    [TearDown]
    public async Task StopBackendsAsync()
    {
        await _flaky.DisposeAsync();
        await _steady.DisposeAsync();
    }

    [Test]
    public async Task FlagMode_OpenCircuit_ToolIsListedWithUnavailableFlag()
    {
        await using var gateway = await StartAsync("Flag");
        using var http = new HttpClient { BaseAddress = gateway.Address };
        await CircuitBreakerTests.OpenCircuitAsync(http, _flaky, "flaky_tool");

        var tools = await ListAsync(http);

        Assert.That((string?)tools["flaky_tool"]["description"], Does.Contain("Currently unavailable").And.Contain("'flaky'"));
        Assert.That((string?)tools["flaky_tool"]["_meta"]?["mcp-gateway/availability"], Is.EqualTo("unavailable"));
        Assert.That((string?)tools["steady_tool"]["description"], Does.Not.Contain("unavailable"));
        Assert.That(tools["steady_tool"]["_meta"], Is.Null);
    }

    [Test]
    public async Task HideMode_OpenCircuit_ToolLeavesBothListsButCallsStillExplainTheOutage()
    {
        await using var gateway = await StartAsync("Hide");
        using var http = new HttpClient { BaseAddress = gateway.Address };
        await CircuitBreakerTests.OpenCircuitAsync(http, _flaky, "flaky_tool");
        var transport = new HttpClientTransport(new HttpClientTransportOptions { Endpoint = gateway.McpEndpoint, TransportMode = HttpTransportMode.StreamableHttp });
        await using var client = await McpClient.CreateAsync(transport);

        var rest = await ListAsync(http);
        var mcp = await client.ListToolsAsync();
        var (_, error, _) = await GatewayProbe.CallToolTextAsync(http, "flaky_tool");

        Assert.That(rest.Keys, Is.EquivalentTo(new[] { "steady_tool" }));
        Assert.That(mcp.Select(t => t.Name), Is.EquivalentTo(new[] { "steady_tool" }));
        Assert.That(error, Is.EqualTo("BackendUnavailable"), "a hidden tool is unavailable, not unknown");
    }

    [Test]
    public async Task HideMode_CircuitRecovers_ToolIsListedAgain()
    {
        await using var gateway = await StartAsync("Hide");
        using var http = new HttpClient { BaseAddress = gateway.Address };
        await CircuitBreakerTests.OpenCircuitAsync(http, _flaky, "flaky_tool");
        _flaky.ForcedStatus = null;

        await GatewayProbe.EventuallyAsync(async () => (await GatewayProbe.CallToolTextAsync(http, "flaky_tool")).Status == 200, "the circuit closes");

        Assert.That((await ListAsync(http)).Keys, Is.EquivalentTo(new[] { "flaky_tool", "steady_tool" }));
    }

    [Test]
    public async Task ActiveHealthCheck_DeadBackend_IsReportedDownAndItsToolFlagged()
    {
        var routes = new RoutesJson()
            .ClusterRaw("flaky", $$$"""
                {"Destinations":{"d":{"Address":"{{{_flaky.Address}}}"}},
                 "HealthCheck":{"Active":{"Enabled":true,"Interval":"00:00:00.200","Timeout":"00:00:01","Policy":"ConsecutiveFailures","Path":"/health"} } }
                """)
            .Cluster("steady", _steady.Address)
            .Tool("flaky_tool", "flaky", "POST /work").Tool("steady_tool", "steady", "POST /work");
        await using var gateway = await TestGateway.StartAsync(routes.ToString());
        using var http = new HttpClient { BaseAddress = gateway.Address };
        Assert.That(await GatewayProbe.ScrapeAsync(http, """mcp_backend_up{cluster="flaky"}"""), Is.EqualTo(1));

        await _flaky.DisposeAsync();

        await GatewayProbe.EventuallyAsync(async () => await GatewayProbe.ScrapeAsync(http, """mcp_backend_up{cluster="flaky"}""") == 0, "the probe marks the backend down");
        var tools = await ListAsync(http);
        var (_, _, text) = await GatewayProbe.CallToolTextAsync(http, "flaky_tool");
        Assert.That((string?)tools["flaky_tool"]["description"], Does.Contain("Currently unavailable"));
        Assert.That(await GatewayProbe.ScrapeAsync(http, """mcp_backend_up{cluster="steady"}"""), Is.EqualTo(1));
        Assert.That(text, Does.StartWith("BackendUnavailable:").And.Contain("no healthy destination"));
    }

    private async Task<TestGateway> StartAsync(string mode)
    {
        var routes = new RoutesJson()
            .Cluster("flaky", _flaky.Address).Cluster("steady", _steady.Address)
            .Tool("flaky_tool", "flaky", "POST /work").Tool("steady_tool", "steady", "POST /work");
        var settings = new Dictionary<string, string?>(CircuitBreakerTests.FastBreaker)
        {
            ["Gateway:Resilience:UnavailableTools"] = mode,
            ["Gateway:Resilience:CircuitBreaker:BreakDuration"] = "00:00:02",
        };
        return await TestGateway.StartAsync(routes.ToString(), settings);
    }

    private static async Task<Dictionary<string, JsonNode>> ListAsync(HttpClient http)
    {
        var list = await http.GetFromJsonAsync<JsonObject>("tools");
        return list!["tools"]!.AsArray().ToDictionary(t => (string)t!["name"]!, t => t!);
    }
}
