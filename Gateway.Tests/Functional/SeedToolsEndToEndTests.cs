using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using DemoBackends;
using Gateway.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Gateway.Tests.Functional;

/// <summary>The shipped routes.json and the demo backends, driven by the MCP C# SDK's own client over real HTTP.</summary>
public sealed class SeedToolsEndToEndTests
{
    private static readonly string[] s_seedTools =
    [
        "agent_execute", "code_analyze", "code_pattern_audit", "graph_query", "hybrid_search",
        "llm_complete", "run_agent_function", "run_discussion", "semantic_search",
    ];

    private DemoBackendHost _backends = null!;
    private TestGateway _gateway = null!;
    private HttpClient _http = null!;

    public static IEnumerable<TestCaseData> SeedCalls()
    {
        yield return new TestCaseData("llm_complete", """{"prompt":"The gateway routes tool calls. It is fast.","max_tokens":8}""", "Summary:");
        yield return new TestCaseData("semantic_search", """{"query":"redis rate limiting","top_k":3}""", "\"results\"");
        yield return new TestCaseData("hybrid_search", """{"query":"kubernetes ingress","top_k":2,"alpha":0.3}""", "\"results\"");
        yield return new TestCaseData("graph_query", """{"query":"MATCH (s:Service) RETURN s.name LIMIT 3"}""", "s.name");
        yield return new TestCaseData("run_agent_function", """{"agent":"analyst","function":"word_count","arguments":{"text":"one two three"}}""", "\"words\":3");
        yield return new TestCaseData("run_discussion", """{"topic":"adopting MCP","rounds":1}""", "transcript");
        yield return new TestCaseData("agent_execute", """{"agent":"planner","task":"ship the gateway"}""", "steps");
        yield return new TestCaseData("code_analyze", """{"path":"src"}""", "total_files");
        yield return new TestCaseData("code_pattern_audit", """{"path":"."}""", "hardcoded-secret");
    }

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _backends = await DemoBackendHost.StartAsync(DemoBackendOptions.Ephemeral());
        _gateway = await TestGateway.StartAsync(SeedRoutes.For(_backends));
        _http = new HttpClient { BaseAddress = _gateway.Address };
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _gateway.DisposeAsync();
        await _backends.DisposeAsync();
    }

    [SetUp]
    public void ResetFaults() => _backends.Faults.ResetAll();

    [TestCase("2025-03-26")]
    [TestCase("2025-06-18")]
    [TestCase("2025-11-25")]
    [TestCase("2026-07-28")]
    public async Task SdkClient_ListsAllNineSeedTools(string protocolVersion)
    {
        await using var client = await ConnectAsync(HttpTransportMode.StreamableHttp, protocolVersion);
        var tools = await client.ListToolsAsync();
        Assert.That(tools.Select(t => t.Name), Is.EquivalentTo(s_seedTools));
        var graph = tools.Single(t => t.Name == "graph_query").ProtocolTool;
        Assert.That(graph.InputSchema.GetProperty("required")[0].GetString(), Is.EqualTo("query"));
        Assert.That(graph.Annotations?.ReadOnlyHint, Is.True);
    }

    [TestCaseSource(nameof(SeedCalls))]
    public async Task SdkClient_CallsEachSeedToolThroughItsBackend(string tool, string argumentsJson, string expected)
    {
        await using var client = await ConnectAsync(HttpTransportMode.StreamableHttp);
        var arguments = JsonSerializer.Deserialize<Dictionary<string, object?>>(argumentsJson)!;
        var result = await client.CallToolAsync(tool, arguments);

        var text = ((TextContentBlock)result.Content.Single()).Text;
        Assert.That(result.IsError, Is.Not.True, text);
        Assert.That(text, Does.Contain(expected));
    }

    [Test]
    public async Task SdkClient_ToolWithOutputSchema_ReturnsStructuredContent()
    {
        await using var client = await ConnectAsync(HttpTransportMode.StreamableHttp);
        var result = await client.CallToolAsync("semantic_search", new Dictionary<string, object?> { ["query"] = "yarp", ["top_k"] = 2 });
        Assert.That(result.StructuredContent, Is.Not.Null);
        Assert.That(result.StructuredContent!.Value.GetProperty("results").GetArrayLength(), Is.EqualTo(2));
    }

    [Test]
    public async Task LegacySseClient_ListsAndCallsTools()
    {
        await using var client = await ConnectAsync(HttpTransportMode.Sse, endpoint: new Uri(_gateway.Address, "sse"));
        var tools = await client.ListToolsAsync();
        Assert.That(tools, Has.Count.EqualTo(9));
        var result = await client.CallToolAsync("graph_query", new Dictionary<string, object?> { ["query"] = "MATCH (n) RETURN count(n)" });
        Assert.That(result.IsError, Is.Not.True);
        Assert.That(((TextContentBlock)result.Content[0]).Text, Does.Contain("count(n)"));
    }

    [Test]
    public async Task BackendDown_ToolResultIsErrorNamingToolBackendAndFailure()
    {
        await _backends.StopBackendAsync(BackendNames.LlmGateway);
        try
        {
            await using var client = await ConnectAsync(HttpTransportMode.StreamableHttp);
            var result = await client.CallToolAsync("llm_complete", new Dictionary<string, object?> { ["prompt"] = "hi" });
            var text = ((TextContentBlock)result.Content[0]).Text;
            Assert.That(result.IsError, Is.True);
            Assert.That(text, Does.Contain("BackendUnavailable").And.Contain("llm_complete").And.Contain("llm-gateway"));
            Assert.That(text, Does.Not.Contain("Exception").And.Not.Contain("   at "));
        }
        finally
        {
            await _backends.StartBackendAsync(BackendNames.LlmGateway);
        }
    }

    [Test]
    public async Task Backend5xx_ToolResultIsError()
    {
        _backends.Faults.SemanticSearch.ForcedStatus = 500;
        await using var client = await ConnectAsync(HttpTransportMode.StreamableHttp);
        var result = await client.CallToolAsync("semantic_search", new Dictionary<string, object?> { ["query"] = "x" });
        Assert.That(result.IsError, Is.True);
        Assert.That(((TextContentBlock)result.Content[0]).Text, Does.Contain("semantic-search").And.Contain("500"));
    }

    [Test]
    public async Task Backend4xx_ToolResultIsErrorWithBackendMessage()
    {
        await using var client = await ConnectAsync(HttpTransportMode.StreamableHttp);
        var result = await client.CallToolAsync("code_analyze", new Dictionary<string, object?> { ["path"] = "src/no_such_file.py" });
        var text = ((TextContentBlock)result.Content[0]).Text;
        Assert.That(result.IsError, Is.True);
        Assert.That(text, Does.StartWith("BackendRejected").And.Contain("404"));
    }

    [Test]
    public async Task RestFacade_ListsToolsAndCallsOne()
    {
        var list = await _http.GetFromJsonAsync<JsonObject>("tools");
        Assert.That(list!["tools"]!.AsArray().Select(t => (string?)t!["name"]), Is.EquivalentTo(s_seedTools));

        using var response = await _http.PostAsJsonAsync("tools/call", new { tool = "graph_query", arguments = new { query = "MATCH (t:Team) RETURN t.name" } });
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((string?)body!["content"]![0]!["text"], Does.Contain("t.name"));
    }

    [Test]
    public async Task RestFacade_AcceptsServerToolArgumentsShape()
    {
        using var response = await _http.PostAsJsonAsync("tools/call", new { server = "semantic-search", tool = "semantic_search", arguments = new { query = "audit" } });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        using var wrongServer = await _http.PostAsJsonAsync("tools/call", new { server = "ai-agents", tool = "semantic_search", arguments = new { query = "audit" } });
        Assert.That(wrongServer.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task RestFacade_InvalidArguments_Is400NamingTheArgument()
    {
        using var response = await _http.PostAsJsonAsync("tools/call", new { tool = "semantic_search", arguments = new { query = "x", top_k = 500 } });
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((string?)body!["error"], Is.EqualTo("InvalidArguments"));
        Assert.That((string?)body["message"], Does.Contain("top_k"));
    }

    [Test]
    public async Task RestPassthroughRoute_ReachesTheSemanticSearchCluster()
    {
        var collections = await _http.GetFromJsonAsync<JsonObject>("api/search/collections");
        Assert.That(collections!["collections"]!.AsArray(), Has.Count.EqualTo(3));
    }

    [Test]
    public async Task ToolRouteUrl_IsNotReachableDirectly()
    {
        using var response = await _http.PostAsync("_gateway/tools/llm_complete", new StringContent("{}"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    private async Task<McpClient> ConnectAsync(HttpTransportMode mode, string? protocolVersion = null, Uri? endpoint = null)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions { Endpoint = endpoint ?? _gateway.McpEndpoint, TransportMode = mode }, loggerFactory: null);
        return await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = protocolVersion }, loggerFactory: null);
    }
}
