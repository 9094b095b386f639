using System.Text.Json.Nodes;
using DemoBackends;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Mcp;

/// <summary>
/// SEP-1303 (2025-11-25): argument mistakes the model can fix are <c>isError</c> tool results naming the argument;
/// only an unknown tool or a malformed request stays a JSON-RPC -32602. The stateless fast path and the SDK handler
/// (stateful sessions) must give byte-for-byte the same answer.
/// </summary>
public sealed class ToolCallSemanticsTests
{
    private const string Initialize = """{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}""";

    private DemoBackendHost _backends = null!;
    private TestGateway _stateless = null!;
    private TestGateway _stateful = null!;
    private HttpClient _http = null!;
    private string _sessionId = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _backends = await DemoBackendHost.StartAsync(DemoBackendOptions.Ephemeral());
        var settings = new Dictionary<string, string?> { ["Gateway:Limits:MaxDepth"] = "4" };
        _stateless = await TestGateway.StartAsync(SeedRoutes.For(_backends), settings);
        _stateful = await TestGateway.StartAsync(SeedRoutes.For(_backends), new Dictionary<string, string?>(settings) { ["Gateway:Mcp:Stateful"] = "true" });
        _http = new HttpClient();
        using var init = await _http.SendAsync(McpHttp.Post(_stateful.McpEndpoint, McpHttp.Request(1, "initialize", Initialize)));
        _sessionId = init.Headers.GetValues("Mcp-Session-Id").Single();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _stateful.DisposeAsync();
        await _stateless.DisposeAsync();
        await _backends.DisposeAsync();
    }

    [TestCase("""{"name":"graph_query","arguments":{"query":"MATCH (n) DETACH DELETE n"}}""", "CypherValidationError", "'query'")]
    [TestCase("""{"name":"graph_query","arguments":{}}""", "InvalidArguments", "'query'")]
    [TestCase("""{"name":"semantic_search","arguments":{"query":"x","top_k":"five"}}""", "InvalidArguments", "'top_k' must be")]
    [TestCase("""{"name":"code_analyze","arguments":{"path":"../../etc/passwd"}}""", "PathValidationError", "'path'")]
    [TestCase("""{"name":"graph_query","arguments":{"query":"MATCH (n) RETURN n","params":{"a":[[[[[1]]]]]}}}""", "LimitExceeded", "MaxDepth")]
    public async Task ArgumentMistake_IsTheSameIsErrorResultOnBothPaths(string call, string code, string names)
    {
        var fast = await CallAsync(_stateless, call);
        var sdk = await CallAsync(_stateful, call);

        Assert.That(fast["error"], Is.Null, fast.ToJsonString());
        var result = fast["result"]!;
        Assert.That((bool?)result["isError"], Is.True);
        Assert.That((string?)result["content"]![0]!["text"], Does.StartWith(code + ": ").And.Contain(names));
        Assert.That((string?)result["_meta"]!["mcp-gateway/error"]!["code"], Is.EqualTo(code));
        Assert.That(sdk["result"]!.ToJsonString(), Is.EqualTo(result.ToJsonString()), "the SDK handler must answer exactly as the fast path");
    }

    [TestCase("""{"name":"no_such_tool","arguments":{}}""", "no_such_tool")]
    [TestCase("""{"name":"graph_query","arguments":[1]}""", "JSON object")]
    public async Task UnknownToolOrMalformedArguments_StayJsonRpcInvalidParamsOnBothPaths(string call, string names)
    {
        var fast = await CallAsync(_stateless, call);
        var sdk = await CallAsync(_stateful, call);

        Assert.That((int?)fast["error"]?["code"], Is.EqualTo(-32602), fast.ToJsonString());
        Assert.That((string?)fast["error"]!["message"], Does.Contain(names));
        Assert.That((int?)sdk["error"]?["code"], Is.EqualTo(-32602), sdk.ToJsonString());
        Assert.That((string?)sdk["error"]!["message"], Is.EqualTo((string?)fast["error"]!["message"]));
    }

    private async Task<JsonObject> CallAsync(TestGateway gateway, string parameters)
    {
        var headers = new Dictionary<string, string> { ["MCP-Protocol-Version"] = "2025-11-25" };
        if (gateway == _stateful)
        {
            headers["Mcp-Session-Id"] = _sessionId;
        }

        using var response = await _http.SendAsync(McpHttp.Post(gateway.McpEndpoint, McpHttp.Request(7, "tools/call", parameters), headers: headers));
        return await McpHttp.ReadMessageAsync(response);
    }
}
