using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Mcp;

/// <summary>
/// Tool text reaches the client without HTML-safe escapes (<c>\u0022</c> for every quote): only what JSON and safe
/// transport need stays escaped, and the fast path, the SDK path and the REST facade write the same bytes.
/// </summary>
public sealed class CompactTextTests
{
    // Quotes, HTML characters, non-ASCII letters, an emoji, U+2028, a control character, DEL, and text that looks
    // like an escape (a backslash followed by u0022) which must survive as text.
    private const string BackendText = "{\"a\":\"<b> & 'c' + é 日本 😀 \u2028 \u0001 \u007F \\\\u0022 back\\\\slash\"}";

    private TestBackend _backend = null!;
    private TestGateway _stateless = null!;
    private TestGateway _stateful = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _backend = await TestBackend.StartAsync(app => app.MapPost("/text", (HttpContext context) =>
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            return context.Response.WriteAsync(BackendText);
        }));
        var routes = new RoutesJson().Cluster("b", _backend.Address).Tool("text", "b", "POST /text").ToString();
        _stateless = await TestGateway.StartAsync(routes);
        _stateful = await TestGateway.StartAsync(routes, new Dictionary<string, string?> { ["Gateway:Mcp:Stateful"] = "true" });
        _http = new HttpClient();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _stateful.DisposeAsync();
        await _stateless.DisposeAsync();
        await _backend.DisposeAsync();
    }

    [Test]
    public async Task FastPath_WritesQuotesAndLettersAsThemselves_AndEscapesOnlyWhatMustBe()
    {
        var raw = await CallRawAsync(_stateless, sessionId: null);
        var data = DataOf(raw);

        Assert.That(data, Does.Not.Contain("\\u003C").And.Not.Contain("\\u0026").And.Not.Contain("\\u0027"));
        Assert.That(data, Does.Contain("{\\\"a\\\":\\\"<b> & 'c' + é 日本 "));
        Assert.That(data, Does.Contain("\\uD83D\\uDE00").IgnoreCase, "characters outside the BMP stay escaped");
        Assert.That(data, Does.Contain("\\u2028").IgnoreCase.And.Contain("\\u0001").And.Contain("\\u007F").IgnoreCase, "line separators and controls stay escaped");
        Assert.That(data, Does.Contain("\\\\\\\\u0022"), "text that looks like an escape is not rewritten");
        Assert.That(TextOf(data), Is.EqualTo(BackendText), "the client reads exactly the backend's text");
    }

    [Test]
    public async Task SdkPath_WritesTheSameBytesAsTheFastPath()
    {
        using var init = await _http.SendAsync(McpHttp.Post(_stateful.McpEndpoint, McpHttp.Request(1, "initialize",
            """{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}""")));
        var sessionId = init.Headers.GetValues("Mcp-Session-Id").Single();

        var sdk = DataOf(await CallRawAsync(_stateful, sessionId));
        var fast = DataOf(await CallRawAsync(_stateless, sessionId: null));

        Assert.That(sdk, Is.EqualTo(fast));
        Assert.That(TextOf(sdk), Is.EqualTo(BackendText));
    }

    [Test]
    public async Task RestFacade_WritesCompactText()
    {
        using var response = await _http.PostAsJsonAsync(new Uri(_stateless.Address, "tools/call"), new { tool = "text", arguments = new { } });
        var raw = await response.Content.ReadAsStringAsync();

        Assert.That(raw, Does.Contain("{\\\"a\\\":\\\"<b> & 'c' + é 日本"));
        Assert.That((string?)JsonNode.Parse(raw)!["content"]![0]!["text"], Is.EqualTo(BackendText));
    }

    [Test]
    public async Task RestFacadeRejection_WritesApostrophesAsThemselves()
    {
        using var response = await _http.PostAsJsonAsync(new Uri(_stateless.Address, "tools/call"), new { tool = "no_such_tool", arguments = new { } });
        var raw = await response.Content.ReadAsStringAsync();

        Assert.That(raw, Does.Contain("'no_such_tool'").And.Not.Contain("\\u0027"));
        Assert.That((string?)JsonNode.Parse(raw)!["message"], Does.Contain("'no_such_tool'"));
    }

    private async Task<string> CallRawAsync(TestGateway gateway, string? sessionId)
    {
        var headers = new Dictionary<string, string> { ["MCP-Protocol-Version"] = "2025-11-25" };
        if (sessionId is not null)
        {
            headers["Mcp-Session-Id"] = sessionId;
        }

        using var response = await _http.SendAsync(McpHttp.Post(gateway.McpEndpoint,
            McpHttp.Request(5, "tools/call", """{"name":"text","arguments":{}}"""), headers: headers));
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The JSON-RPC message, whether the response was plain JSON or one SSE event.</summary>
    private static string DataOf(string raw) =>
        raw.TrimStart().StartsWith('{')
            ? raw.Trim()
            : raw.Split('\n').Where(l => l.StartsWith("data:", StringComparison.Ordinal)).Select(l => l[5..].Trim()).Last();

    private static string TextOf(string message) => (string)JsonNode.Parse(message)!["result"]!["content"]![0]!["text"]!;
}
