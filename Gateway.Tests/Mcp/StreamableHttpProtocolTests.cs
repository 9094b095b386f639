using System.Net;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Mcp;

/// <summary>Status codes and error bodies of /mcp, asserted on the wire (stateless mode, the default).</summary>
public sealed class StreamableHttpProtocolTests
{
    private TestBackend _backend = null!;
    private TestGateway _gateway = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _backend = await TestBackend.StartEchoAsync();
        var routes = new RoutesJson()
            .Cluster("echo", _backend.Address)
            .Tool("echo_tool", "echo", "POST /echo", """{"type":"object","properties":{"text":{"type":"string"}},"required":["text"],"additionalProperties":false}""");
        _gateway = await TestGateway.StartAsync(routes.ToString());
        _http = new HttpClient();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _gateway.DisposeAsync();
        await _backend.DisposeAsync();
    }

    [Test]
    public async Task Post_WithoutEventStreamInAccept_Returns406()
    {
        using var response = await _http.SendAsync(McpHttp.Post(_gateway.McpEndpoint, McpHttp.Request(1, "tools/list"), accept: "application/json"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotAcceptable));
        var error = await McpHttp.ReadMessageAsync(response);
        Assert.That((string?)error["error"]!["message"], Does.Contain("text/event-stream"));
    }

    [Test]
    public async Task Post_WithTextPlainBody_Returns415()
    {
        using var response = await _http.SendAsync(McpHttp.Post(_gateway.McpEndpoint, McpHttp.Request(1, "tools/list"), contentType: "text/plain"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
    }

    [Test]
    public async Task Post_MalformedJson_Returns400WithParseError()
    {
        using var response = await _http.SendAsync(McpHttp.Post(_gateway.McpEndpoint, "{\"jsonrpc\":\"2.0\",\"id\":1,"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var error = await McpHttp.ReadMessageAsync(response);
        Assert.That((int)error["error"]!["code"]!, Is.EqualTo(-32700).Or.EqualTo(-32600));
        Assert.That(error["id"], Is.Null);
    }

    [TestCase("[]")]
    [TestCase("\"hello\"")]
    [TestCase("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}")]
    public async Task Post_NotAJsonRpcMessage_Returns400(string body)
    {
        using var response = await _http.SendAsync(McpHttp.Post(_gateway.McpEndpoint, body));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var error = await McpHttp.ReadMessageAsync(response);
        Assert.That((int)error["error"]!["code"]!, Is.LessThan(-32000));
    }

    [Test]
    public async Task Post_UnsupportedProtocolVersion_Returns400ListingSupportedVersions()
    {
        using var response = await _http.SendAsync(McpHttp.Post(_gateway.McpEndpoint, McpHttp.Request(1, "tools/list"),
            headers: new Dictionary<string, string> { ["MCP-Protocol-Version"] = "1999-01-01" }));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var error = await McpHttp.ReadMessageAsync(response);
        Assert.That((string?)error["error"]!["message"], Does.Contain("2025-06-18").And.Not.Contain("1999-01-01"), "lists what is supported without echoing the header");
    }

    [Test]
    public async Task Post_Notification_Returns202WithoutBody()
    {
        using var response = await _http.SendAsync(McpHttp.Post(_gateway.McpEndpoint, """{"jsonrpc":"2.0","method":"notifications/initialized"}"""));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.Empty);
        Assert.That(response.Content.Headers.ContentType, Is.Null);
    }

    [Test]
    public async Task Post_SessionIdInStatelessMode_Returns400()
    {
        using var response = await _http.SendAsync(McpHttp.Post(_gateway.McpEndpoint, McpHttp.Request(1, "tools/list"),
            headers: new Dictionary<string, string> { ["Mcp-Session-Id"] = "abc" }));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [TestCase("GET")]
    [TestCase("DELETE")]
    public async Task SessionVerbs_InStatelessMode_Return405(string method)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), _gateway.McpEndpoint);
        request.Headers.TryAddWithoutValidation("Accept", "text/event-stream");
        using var response = await _http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That(response.Content.Headers.Allow, Does.Contain("POST"));
    }

    [TestCase("http://evil.example.com")]
    [TestCase("http://localhost.evil.example.com")]
    [TestCase("null")]
    public async Task Post_FromDisallowedOrigin_Returns403(string origin)
    {
        using var response = await _http.SendAsync(McpHttp.Post(_gateway.McpEndpoint, McpHttp.Request(1, "tools/list"),
            headers: new Dictionary<string, string> { ["Origin"] = origin }));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Post_FromAllowedLocalhostOrigin_Succeeds()
    {
        using var response = await _http.SendAsync(McpHttp.Post(_gateway.McpEndpoint, McpHttp.Request(1, "tools/list"),
            headers: new Dictionary<string, string> { ["Origin"] = "http://localhost:6274" }));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Ping_ReturnsEmptyResult()
    {
        using var response = await _http.SendAsync(McpHttp.Post(_gateway.McpEndpoint, McpHttp.Request(7, "ping")));
        var message = await McpHttp.ReadMessageAsync(response);
        Assert.That((int)message["id"]!, Is.EqualTo(7));
        Assert.That(message["result"]!.ToJsonString(), Is.EqualTo("{}"));
    }

    [Test]
    public async Task Initialize_NegotiatesRequestedVersion()
    {
        var body = McpHttp.Request(1, "initialize", """{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}""");
        using var response = await _http.SendAsync(McpHttp.Post(_gateway.McpEndpoint, body));
        var message = await McpHttp.ReadMessageAsync(response);
        Assert.That((string?)message["result"]!["protocolVersion"], Is.EqualTo("2025-06-18"));
        Assert.That(message["result"]!["capabilities"]!["tools"], Is.Not.Null);
        Assert.That((string?)message["result"]!["serverInfo"]!["name"], Is.EqualTo("mcp-gateway"));
    }

    [Test]
    public async Task ToolsCall_UnknownTool_IsJsonRpcInvalidParams()
    {
        using var response = await _http.SendAsync(McpHttp.Post(_gateway.McpEndpoint, McpHttp.Request(3, "tools/call", """{"name":"nope","arguments":{}}""")));
        var message = await McpHttp.ReadMessageAsync(response);
        Assert.That((int)message["error"]!["code"]!, Is.EqualTo(-32602));
        Assert.That((string?)message["error"]!["message"], Does.Contain("nope"));
    }

    [TestCase("""{}""", "missing")]
    [TestCase("""{"text":5}""", "text")]
    [TestCase("""{"text":"a","colour":"red"}""", "colour")]
    public async Task ToolsCall_ArgumentsViolatingSchema_IsAnIsErrorResultNamingTheProblem(string arguments, string expected)
    {
        using var response = await _http.SendAsync(McpHttp.Post(_gateway.McpEndpoint, McpHttp.Request(3, "tools/call", $$"""{"name":"echo_tool","arguments":{{arguments}}}""")));
        var message = await McpHttp.ReadMessageAsync(response);
        Assert.That(message["error"], Is.Null, message.ToJsonString());
        Assert.That((bool?)message["result"]!["isError"], Is.True);
        Assert.That((string?)message["result"]!["content"]![0]!["text"], Does.StartWith("InvalidArguments: ").And.Contain(expected));
        Assert.That((string?)message["result"]!["_meta"]!["mcp-gateway/error"]!["code"], Is.EqualTo("InvalidArguments"));
    }

    [Test]
    public async Task ToolsCall_ArgumentsNotAnObject_IsJsonRpcInvalidParams()
    {
        using var response = await _http.SendAsync(McpHttp.Post(_gateway.McpEndpoint, McpHttp.Request(3, "tools/call", """{"name":"echo_tool","arguments":[1,2]}""")));
        var message = await McpHttp.ReadMessageAsync(response);
        Assert.That((int)message["error"]!["code"]!, Is.EqualTo(-32602));
    }

    [Test]
    public async Task V20260728_MissingMcpMethodHeader_Returns400HeaderMismatch()
    {
        var body = McpHttp.Request(1, "tools/list", """{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}""");
        using var response = await _http.SendAsync(McpHttp.Post(_gateway.McpEndpoint, body,
            headers: new Dictionary<string, string> { ["MCP-Protocol-Version"] = "2026-07-28" }));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var error = await McpHttp.ReadMessageAsync(response);
        Assert.That((int)error["error"]!["code"]!, Is.EqualTo(-32020));
    }

    [Test]
    public async Task V20260728_McpNameNotMatchingToolName_Returns400HeaderMismatch()
    {
        var body = McpHttp.Request(1, "tools/call", """{"name":"echo_tool","arguments":{"text":"x"},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}""");
        using var response = await _http.SendAsync(McpHttp.Post(_gateway.McpEndpoint, body, headers: new Dictionary<string, string>
        {
            ["MCP-Protocol-Version"] = "2026-07-28",
            ["Mcp-Method"] = "tools/call",
            ["Mcp-Name"] = "other_tool",
        }));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var error = await McpHttp.ReadMessageAsync(response);
        Assert.That((int)error["error"]!["code"]!, Is.EqualTo(-32020), error.ToJsonString());
        Assert.That((int)error["id"]!, Is.EqualTo(1));
    }

    [Test]
    public async Task V20260728_Initialize_Returns404MethodNotFound()
    {
        var body = McpHttp.Request(1, "initialize", """{"protocolVersion":"2026-07-28","capabilities":{},"clientInfo":{"name":"t","version":"1"},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}""");
        using var response = await _http.SendAsync(McpHttp.Post(_gateway.McpEndpoint, body, headers: new Dictionary<string, string>
        {
            ["MCP-Protocol-Version"] = "2026-07-28",
            ["Mcp-Method"] = "initialize",
        }));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task StatelessToolsCall_IsAnsweredAsOneJsonResponse()
    {
        using var response = await _http.SendAsync(McpHttp.Post(_gateway.McpEndpoint, McpHttp.Request(9, "tools/call", """{"name":"echo_tool","arguments":{"text":"hi"}}"""),
            headers: new Dictionary<string, string> { ["MCP-Protocol-Version"] = "2025-11-25" }));
        var message = await McpHttp.ReadMessageAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That((int)message["id"]!, Is.EqualTo(9));
        Assert.That((string?)message["result"]!["content"]![0]!["type"], Is.EqualTo("text"));
        Assert.That((string?)message["result"]!["content"]![0]!["text"], Does.Contain("\"path\":\"/echo\""));
    }
}
