using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Gateway.Tests.Resilience;

/// <summary>A failing cluster's circuit opens, fails calls fast without touching the backend, and closes after recovery.</summary>
public sealed class CircuitBreakerTests
{
    internal static readonly Dictionary<string, string?> FastBreaker = new()
    {
        ["Gateway:Resilience:CircuitBreaker:MinimumThroughput"] = "4",
        ["Gateway:Resilience:CircuitBreaker:FailureRatio"] = "0.5",
        ["Gateway:Resilience:CircuitBreaker:SamplingDuration"] = "00:00:30",
        ["Gateway:Resilience:CircuitBreaker:BreakDuration"] = "00:00:01",
        ["Gateway:Resilience:Retry:MaxRetries"] = "0",
    };

    private FaultyBackend _backend = null!;
    private FaultyBackend _healthy = null!;
    private TestGateway _gateway = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _backend = await FaultyBackend.StartAsync();
        _healthy = await FaultyBackend.StartAsync();
        var routes = new RoutesJson()
            .Cluster("flaky", _backend.Address).Cluster("steady", _healthy.Address)
            .Tool("flaky_tool", "flaky", "POST /work", annotations: """{"readOnlyHint":true}""")
            .Tool("steady_tool", "steady", "POST /work");
        _gateway = await TestGateway.StartAsync(routes.ToString(), FastBreaker);
        _http = new HttpClient { BaseAddress = _gateway.Address, Timeout = TimeSpan.FromSeconds(10) };
    }

    [TearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _gateway.DisposeAsync();
        await _backend.DisposeAsync();
        await _healthy.DisposeAsync();
    }

    [Test]
    public async Task RepeatedFailures_OpenTheCircuit_CallsFailFastWithoutReachingTheBackend()
    {
        await OpenCircuitAsync(_http, _backend, "flaky_tool");
        var reached = _backend.Requests;

        using var response = await GatewayProbe.CallToolAsync(_http, "flaky_tool");
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.That((int)response.StatusCode, Is.EqualTo(503));
        Assert.That((string?)body!["error"], Is.EqualTo("BackendUnavailable"));
        Assert.That((string?)body["message"], Does.Contain("cluster 'flaky' is open").And.Match(@"next probe in \d+\.\d s"));
        Assert.That(response.Headers.RetryAfter?.Delta, Is.Not.Null);
        Assert.That(_backend.Requests, Is.EqualTo(reached), "an open circuit must not send the call to the backend");
    }

    [Test]
    public async Task OpenCircuit_McpCallIsErrorResultNamingClusterAndNextProbe()
    {
        await OpenCircuitAsync(_http, _backend, "flaky_tool");
        var transport = new HttpClientTransport(new HttpClientTransportOptions { Endpoint = _gateway.McpEndpoint, TransportMode = HttpTransportMode.StreamableHttp });
        await using var client = await McpClient.CreateAsync(transport);

        var result = await client.CallToolAsync("flaky_tool", new Dictionary<string, object?>());

        Assert.That(result.IsError, Is.True);
        Assert.That(((TextContentBlock)result.Content[0]).Text, Does.StartWith("BackendUnavailable:").And.Contain("'flaky'").And.Contain("next probe in"));
    }

    [Test]
    public async Task OpenCircuit_OnlyAffectsItsOwnCluster()
    {
        await OpenCircuitAsync(_http, _backend, "flaky_tool");

        var (status, _, _) = await GatewayProbe.CallToolTextAsync(_http, "steady_tool");

        Assert.That(status, Is.EqualTo(200));
    }

    [Test]
    public async Task BackendRecovers_CircuitClosesByItself()
    {
        await OpenCircuitAsync(_http, _backend, "flaky_tool");
        Assert.That(await CircuitStateAsync("flaky"), Is.EqualTo(2));
        _backend.ForcedStatus = null;

        await GatewayProbe.EventuallyAsync(async () => (await GatewayProbe.CallToolTextAsync(_http, "flaky_tool")).Status == 200, "the half-open probe succeeds");

        Assert.That(await CircuitStateAsync("flaky"), Is.EqualTo(0));
        Assert.That((await GatewayProbe.CallToolTextAsync(_http, "flaky_tool")).Status, Is.EqualTo(200));
    }

    [Test]
    public async Task ClientErrors_DoNotOpenTheCircuit()
    {
        _backend.ForcedStatus = 404;
        for (var i = 0; i < 8; i++)
        {
            await GatewayProbe.CallToolTextAsync(_http, "flaky_tool");
        }

        Assert.That(_backend.Requests, Is.EqualTo(8));
        Assert.That(await CircuitStateAsync("flaky"), Is.EqualTo(0));
    }

    /// <summary>Fails calls until the gateway refuses one with BackendUnavailable from the breaker.</summary>
    internal static async Task OpenCircuitAsync(HttpClient http, FaultyBackend backend, string tool)
    {
        backend.ForcedStatus = 503;
        await GatewayProbe.EventuallyAsync(async () =>
        {
            var (_, error, _) = await GatewayProbe.CallToolTextAsync(http, tool);
            return error == "BackendUnavailable";
        }, "the circuit opens");
    }

    private Task<double> CircuitStateAsync(string cluster) => GatewayProbe.ScrapeAsync(_http, $"mcp_circuit_state{{cluster=\"{cluster}\"}}");
}
