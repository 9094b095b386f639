using System.Text;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Resilience;

/// <summary>
/// Arguments that can't go on the wire are the caller's error (400 / -32602) and never count against the cluster:
/// however many a caller sends, the circuit stays closed and everybody else's calls to that cluster still work.
/// </summary>
public sealed class CallerErrorCircuitTests
{
    private const string Schema = """{"type":"object","properties":{"agent":{},"task":{},"hval":{},"query":{}}}""";

    private FaultyBackend _backend = null!;
    private TestGateway _gateway = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _backend = await FaultyBackend.StartAsync();
        var routes = new RoutesJson()
            .Cluster("ai-agents", _backend.Address)
            .Tool("agent_execute", "ai-agents", "POST /v1/agents/{agent}/execute", Schema, annotations: """{"readOnlyHint":true}""")
            .Tool("header_tool", "ai-agents", "POST /v1/header", Schema, extraTransformKeys: "\"Headers\":\"X-Probe=hval\"", annotations: """{"readOnlyHint":true}""")
            .Tool("graph_query", "ai-agents", "POST /v1/graph/query", Schema)
            .Route("agents-api", """{"ClusterId":"ai-agents","Match":{"Path":"/api/agents/{**rest}"}}""");
        _gateway = await TestGateway.StartAsync(routes.ToString(), CircuitBreakerTests.FastBreaker);
        _http = new HttpClient { BaseAddress = _gateway.Address, Timeout = TimeSpan.FromSeconds(10) };
    }

    [TearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _gateway.DisposeAsync();
        await _backend.DisposeAsync();
    }

    [TestCase("agent_execute", """{"agent":"a\u0000","task":"t"}""")]
    [TestCase("agent_execute", """{"agent":"..","task":"t"}""")]
    [TestCase("agent_execute", """{"agent":"\ud800","task":"t"}""")]
    [TestCase("agent_execute", """{"agent":{"x":1},"task":"t"}""")]
    [TestCase("header_tool", """{"hval":"zo\u00eb"}""")]
    [TestCase("header_tool", """{"hval":"a\r\nContent-Length: 0\r\n\r\nGET /raw/SMUGGLED HTTP/1.1"}""")]
    public async Task ManyCallsWithUnsendableArguments_AreInvalidArguments_AndTheCircuitStaysClosed(string tool, string arguments)
    {
        for (var i = 0; i < 12; i++)
        {
            var (status, error, message) = await CallAsync(tool, arguments);
            Assert.That((status, error), Is.EqualTo((400, "InvalidArguments")), message);
        }

        var (goodStatus, _, goodText) = await CallAsync("graph_query", """{"query":"MATCH (n) RETURN n"}""");

        Assert.That(goodStatus, Is.EqualTo(200), goodText);
        Assert.That(await GatewayProbe.ScrapeAsync(_http, "mcp_circuit_state{cluster=\"ai-agents\"}"), Is.EqualTo(0));
        Assert.That(_backend.Requests, Is.EqualTo(1), "only the good call may reach the backend");
    }

    [Test]
    public async Task ManyMcpCallsWithUnsendableArguments_AreIsErrorResults_AndTheClusterStillServes()
    {
        for (var i = 0; i < 12; i++)
        {
            using var response = await _http.SendAsync(McpHttp.Post(_gateway.McpEndpoint,
                McpHttp.Request(i, "tools/call", """{"name":"agent_execute","arguments":{"agent":"a\u0000","task":"t"}}""")));
            var message = await McpHttp.ReadMessageAsync(response);
            Assert.That((bool?)message["result"]?["isError"], Is.True, message.ToJsonString());
            Assert.That((string?)message["result"]?["content"]?[0]?["text"], Does.StartWith("InvalidArguments").And.Contain("'agent'").And.Contain("control character"));
        }

        using var good = await _http.SendAsync(McpHttp.Post(_gateway.McpEndpoint,
            McpHttp.Request(99, "tools/call", """{"name":"graph_query","arguments":{"query":"MATCH (n) RETURN n"}}""")));
        var result = await McpHttp.ReadMessageAsync(good);

        Assert.That((bool?)result["result"]?["isError"], Is.Not.True, result.ToJsonString());
        Assert.That(await GatewayProbe.ScrapeAsync(_http, "mcp_circuit_state{cluster=\"ai-agents\"}"), Is.EqualTo(0));
    }

    [Test]
    public async Task ManyPassthroughRequestsWithNonAsciiHeaders_Are400_AndTheCircuitStaysClosed()
    {
        // Kestrel accepts UTF-8 header values; HttpClient would throw on them mid-send (a "connection failure").
        using var handler = new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8 };
        using var client = new HttpClient(handler) { BaseAddress = _gateway.Address, Timeout = TimeSpan.FromSeconds(10) };
        for (var i = 0; i < 12; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/agents/status");
            request.Headers.TryAddWithoutValidation("X-Note", "zo\u00eb");
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.That((int)response.StatusCode, Is.EqualTo(400), text);
            Assert.That((string?)JsonNode.Parse(text)?["message"], Does.Contain("'X-Note'").And.Contain("U+00EB"));
        }

        using var good = await client.GetAsync("api/agents/status");

        Assert.That((int)good.StatusCode, Is.EqualTo(200));
        Assert.That(await GatewayProbe.ScrapeAsync(_http, "mcp_circuit_state{cluster=\"ai-agents\"}"), Is.EqualTo(0));
        Assert.That(_backend.Requests, Is.EqualTo(1), "only the good request may reach the backend");
    }

    private async Task<(int Status, string? Error, string Text)> CallAsync(string tool, string argumentsJson)
    {
        using var content = new StringContent($"{{\"tool\":\"{tool}\",\"arguments\":{argumentsJson}}}", Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync("tools/call", content);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.StartsWith('{') ? JsonNode.Parse(text) as JsonObject : null;
        return ((int)response.StatusCode, (string?)body?["error"], text);
    }
}
