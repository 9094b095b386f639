using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Mcp;

namespace Gateway.Tests.Security.Authorization;

/// <summary>
/// Every MCP message acts with the credentials it came with: on legacy SSE a POST to /messages is not run with the
/// stream opener's token, and on a stateful Streamable HTTP session a request is not run with the initializer's.
/// Two tokens of the same subject differ in scopes and tier; the session owner check still applies.
/// </summary>
public sealed class PerMessageCredentialTests
{
    private SecuredGateway _env = null!;
    private string _wide = null!;
    private string _narrow = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _env = await SecuredGateway.StartAsync(new Dictionary<string, string?> { ["Gateway:Mcp:Stateful"] = "true" });
        _wide = _env.Token(scope: "tools:read tools:call graph:read", tier: "premium");
        _narrow = _env.Token(scope: "tools:call", tier: "standard");
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _env.DisposeAsync();

    [Test]
    public async Task LegacySse_DownScopedTokenOnAWideStream_SeesAndCallsOnlyItsOwnTools()
    {
        await using var stream = await SseStream.OpenAsync(_env, _wide);

        var narrowList = await stream.RoundTripAsync(_narrow, McpHttp.Request(1, "tools/list"));
        var narrowGraph = await stream.RoundTripAsync(_narrow, McpHttp.Request(2, "tools/call", """{"name":"graph_echo","arguments":{}}"""));
        var narrowPremium = await stream.RoundTripAsync(_narrow, McpHttp.Request(3, "tools/call", """{"name":"premium_echo","arguments":{}}"""));
        var wideGraph = await stream.RoundTripAsync(_wide, McpHttp.Request(4, "tools/call", """{"name":"graph_echo","arguments":{}}"""));

        Assert.That(ToolNames(narrowList), Is.EquivalentTo(new[] { "open_echo" }));
        Assert.That((int?)narrowGraph["error"]?["code"], Is.EqualTo(-32602), narrowGraph.ToJsonString());
        Assert.That((int?)narrowPremium["error"]?["code"], Is.EqualTo(-32602), narrowPremium.ToJsonString());
        Assert.That(wideGraph["result"]?["isError"]?.GetValue<bool>(), Is.Not.True, wideGraph.ToJsonString());
        Assert.That((string?)wideGraph["result"]?["content"]?[0]?["text"], Does.Contain("/tools/graph"));
    }

    [Test]
    public async Task LegacySse_WideTokenOnANarrowStream_UsesItsOwnScopes()
    {
        await using var stream = await SseStream.OpenAsync(_env, _narrow);

        var wideList = await stream.RoundTripAsync(_wide, McpHttp.Request(1, "tools/list"));
        var wideGraph = await stream.RoundTripAsync(_wide, McpHttp.Request(2, "tools/call", """{"name":"graph_echo","arguments":{}}"""));

        Assert.That(ToolNames(wideList), Is.EquivalentTo(new[] { "graph_echo", "open_echo", "premium_echo" }));
        Assert.That(wideGraph["result"], Is.Not.Null, wideGraph.ToJsonString());
    }

    [Test]
    public async Task LegacySse_CallIsAuditedWithThePostsRequestId()
    {
        await using var stream = await SseStream.OpenAsync(_env, _wide);
        var requestId = "post-" + Guid.NewGuid().ToString("N");

        await stream.RoundTripAsync(_narrow, McpHttp.Request(1, "tools/call", """{"name":"open_echo","arguments":{}}"""), requestId);

        var auditPath = Path.Combine(_env.Gateway.Directory, "logs", "audit.jsonl");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        JsonNode? entry = null;
        while (entry is null && DateTime.UtcNow < deadline)
        {
            entry = File.Exists(auditPath)
                ? File.ReadAllLines(auditPath).Select(l => JsonNode.Parse(l)).FirstOrDefault(e => (string?)e?["request_id"] == requestId)
                : null;
            await Task.Delay(50);
        }

        Assert.That(entry, Is.Not.Null, "the call's audit line carries the id of the POST that asked for it");
        Assert.That((string?)entry!["tool"], Is.EqualTo("open_echo"));
    }

    [Test]
    public async Task LegacySse_AnotherSubjectsPost_IsStill403()
    {
        await using var stream = await SseStream.OpenAsync(_env, _wide);
        using var request = Post(stream.Endpoint, _env.Token(subject: "mallory", scope: "tools:read tools:call graph:read", tier: "premium"), McpHttp.Request(1, "tools/list"));

        using var response = await _env.Http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task StatefulSession_RequestUsesItsOwnToken_NotTheInitializers()
    {
        using var initialize = await _env.Http.SendAsync(WithToken(McpHttp.Post(_env.Gateway.McpEndpoint, McpHttp.Request(1, "initialize",
            """{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}""")), _wide));
        Assert.That(initialize.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var session = initialize.Headers.GetValues("Mcp-Session-Id").Single();

        var narrowList = await SessionRoundTripAsync(session, _narrow, McpHttp.Request(2, "tools/list"));
        var narrowGraph = await SessionRoundTripAsync(session, _narrow, McpHttp.Request(3, "tools/call", """{"name":"graph_echo","arguments":{}}"""));
        var wideGraph = await SessionRoundTripAsync(session, _wide, McpHttp.Request(4, "tools/call", """{"name":"graph_echo","arguments":{}}"""));

        Assert.That(ToolNames(narrowList), Is.EquivalentTo(new[] { "open_echo" }));
        Assert.That((int?)narrowGraph["error"]?["code"], Is.EqualTo(-32602), narrowGraph.ToJsonString());
        Assert.That(wideGraph["result"], Is.Not.Null, wideGraph.ToJsonString());
    }

    private async Task<JsonObject> SessionRoundTripAsync(string session, string token, string body)
    {
        using var response = await _env.Http.SendAsync(WithToken(McpHttp.Post(_env.Gateway.McpEndpoint, body,
            headers: new Dictionary<string, string> { ["Mcp-Session-Id"] = session, ["MCP-Protocol-Version"] = "2025-06-18" }), token));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await McpHttp.ReadMessageAsync(response);
    }

    private static IEnumerable<string?> ToolNames(JsonObject reply) =>
        reply["result"]?["tools"]?.AsArray().Select(t => (string?)t!["name"]) ?? throw new AssertionException(reply.ToJsonString());

    private static HttpRequestMessage WithToken(HttpRequestMessage request, string token)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private static HttpRequestMessage Post(string endpoint, string token, string body, string? requestId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (requestId is not null)
        {
            request.Headers.Add("X-Request-ID", requestId);
        }

        return request;
    }

    /// <summary>A legacy SSE stream opened with one token; messages are posted with any token and answered on the stream.</summary>
    private sealed class SseStream : IAsyncDisposable
    {
        private readonly SecuredGateway _env;
        private readonly HttpResponseMessage _response;
        private readonly StreamReader _reader;
        private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));

        private SseStream(SecuredGateway env, HttpResponseMessage response, StreamReader reader, string endpoint)
        {
            _env = env;
            _response = response;
            _reader = reader;
            Endpoint = endpoint;
        }

        public string Endpoint { get; }

        public static async Task<SseStream> OpenAsync(SecuredGateway env, string token)
        {
            using var request = env.Request(HttpMethod.Get, "sse", token);
            var response = await env.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var endpoint = (await SseEvents.NextAsync(reader, timeout.Token)).Data;
            return new SseStream(env, response, reader, endpoint);
        }

        public async Task<JsonObject> RoundTripAsync(string token, string body, string? requestId = null)
        {
            using var request = Post(Endpoint, token, body, requestId);
            using var response = await _env.Http.SendAsync(request, _timeout.Token);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
            return JsonNode.Parse((await SseEvents.NextAsync(_reader, _timeout.Token)).Data)!.AsObject();
        }

        public ValueTask DisposeAsync()
        {
            _reader.Dispose();
            _response.Dispose();
            _timeout.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
