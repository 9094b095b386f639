using System.Net;
using Gateway.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Gateway.Tests.Mcp;

/// <summary>Stateful Streamable HTTP (Gateway:Mcp:Stateful=true): session creation, lookup, termination, and the SDK client.</summary>
public sealed class StatefulSessionTests
{
    private const string Initialize = """{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}""";

    private TestBackend _backend = null!;
    private TestGateway _gateway = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _backend = await TestBackend.StartEchoAsync();
        _gateway = await TestGateway.StartAsync(
            new RoutesJson().Cluster("echo", _backend.Address).Tool("echo_tool", "echo", "POST /echo").ToString(),
            new Dictionary<string, string?> { ["Gateway:Mcp:Stateful"] = "true" });
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
    public async Task Initialize_IssuesASessionId_ThatLaterRequestsUseUntilDeleted()
    {
        using var init = await _http.SendAsync(McpHttp.Post(_gateway.McpEndpoint, McpHttp.Request(1, "initialize", Initialize)));
        var sessionId = init.Headers.GetValues("Mcp-Session-Id").Single();
        var headers = new Dictionary<string, string> { ["Mcp-Session-Id"] = sessionId, ["MCP-Protocol-Version"] = "2025-06-18" };

        using var list = await _http.SendAsync(McpHttp.Post(_gateway.McpEndpoint, McpHttp.Request(2, "tools/list"), headers: headers));
        var tools = await McpHttp.ReadMessageAsync(list);
        Assert.That((string?)tools["result"]!["tools"]![0]!["name"], Is.EqualTo("echo_tool"));

        using var delete = new HttpRequestMessage(HttpMethod.Delete, _gateway.McpEndpoint);
        delete.Headers.Add("Mcp-Session-Id", sessionId);
        using var deleted = await _http.SendAsync(delete);
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        using var after = await _http.SendAsync(McpHttp.Post(_gateway.McpEndpoint, McpHttp.Request(3, "tools/list"), headers: headers));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((int)(await McpHttp.ReadMessageAsync(after))["error"]!["code"]!, Is.EqualTo(-32001));
    }

    [Test]
    public async Task NonInitializeRequestWithoutSession_Returns400()
    {
        using var response = await _http.SendAsync(McpHttp.Post(_gateway.McpEndpoint, McpHttp.Request(1, "tools/list")));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task UnknownSession_Returns404()
    {
        using var response = await _http.SendAsync(McpHttp.Post(_gateway.McpEndpoint, McpHttp.Request(1, "tools/list"),
            headers: new Dictionary<string, string> { ["Mcp-Session-Id"] = "no-such-session" }));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task GetStream_WithoutEventStreamAccept_Returns406()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _gateway.McpEndpoint);
        request.Headers.TryAddWithoutValidation("Accept", "application/json");
        using var response = await _http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotAcceptable));
    }

    [Test]
    public async Task SdkClient_CallsAToolAcrossSeveralRequestsOfOneSession()
    {
        await using var client = await McpClient.CreateAsync(
            new HttpClientTransport(new HttpClientTransportOptions { Endpoint = _gateway.McpEndpoint, TransportMode = HttpTransportMode.StreamableHttp }, loggerFactory: null),
            new McpClientOptions { ProtocolVersion = "2025-11-25" }, loggerFactory: null);

        for (var i = 0; i < 3; i++)
        {
            var result = await client.CallToolAsync("echo_tool", new Dictionary<string, object?> { ["n"] = i });
            Assert.That(((TextContentBlock)result.Content[0]).Text, Does.Contain($"\\u0022n\\u0022:{i}").Or.Contain($"\"n\":{i}"));
        }
    }
}
