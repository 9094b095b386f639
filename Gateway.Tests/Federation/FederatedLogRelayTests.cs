using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Federation;

/// <summary>
/// Log messages (<c>notifications/message</c>) an upstream sends while it runs a tool, on a shared upstream session, as
/// the calling client reads them on the wire: the ones at or above the level it wants, in the upstream's order, all
/// before the answer, and only its own call's. The upstream (C# SDK, Streamable HTTP) logs at debug, info and warning
/// on the call's own response stream.
/// </summary>
public sealed class FederatedLogRelayTests
{
    private const string Initialize = """{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}""";

    private CSharpUpstream _upstream = null!;
    private TestGateway _stateless = null!;
    private TestGateway _stateful = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _upstream = await CSharpUpstream.StartAsync();
        _upstream.AddLoggingTool();
        var routes = FederatedRoutes.With(new RoutesJson(), ("up", _upstream.Address, "{}"));
        _stateless = await TestGateway.StartAsync(routes);
        _stateful = await TestGateway.StartAsync(routes, new Dictionary<string, string?> { ["Gateway:Mcp:Stateful"] = "true" });
        await FederatedRoutes.WaitForToolAsync(_stateless.Services, "up__log_steps");
        await FederatedRoutes.WaitForToolAsync(_stateful.Services, "up__log_steps");
        _http = new HttpClient();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _stateless.DisposeAsync();
        await _stateful.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Test]
    public async Task StatelessCall_WithALogLevelInItsMeta_GetsTheMessagesAtOrAboveIt_InOrder_BeforeTheAnswer()
    {
        var (logs, answer) = await CallAsync(_stateless, Modern("s1", level: "info"), headers: ModernHeaders());

        Assert.Multiple(() =>
        {
            Assert.That(logs.Select(l => (string?)l["data"]), Is.EqualTo(new[] { "s1 Info", "s1 Warning" }));
            Assert.That(logs.Select(l => (string?)l["level"]), Is.EqualTo(new[] { "info", "warning" }));
            Assert.That(logs.Select(l => (string?)l["logger"]), Is.All.EqualTo("up/steps"), "the logger is prefixed with the server's name");
            Assert.That(Text(answer), Is.EqualTo("logged s1"));
        });
    }

    [Test]
    public async Task LogMessagesAndProgress_ReachTheClientInterleaved_AsTheUpstreamSentThem()
    {
        var body = JsonNode.Parse(Modern("p1", level: "debug"))!;
        body["params"]!["_meta"]!["progressToken"] = "client-progress";
        using var response = await _http.SendAsync(McpHttp.Post(_stateless.McpEndpoint, body.ToJsonString(), headers: ModernHeaders()), HttpCompletionOption.ResponseHeadersRead);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));

        var seen = new List<string>();
        while (true)
        {
            var message = JsonNode.Parse(await SseEvents.NextDataAsync(reader, timeout.Token))!;
            if (message["id"] is not null)
            {
                seen.Add("answer: " + Text(message));
                break;
            }

            seen.Add((string?)message["method"] == "notifications/progress"
                ? $"progress {(double)message["params"]!["progress"]!} of {(string?)message["params"]!["progressToken"]}"
                : "log " + (string?)message["params"]!["data"]);
        }

        Assert.That(seen, Is.EqualTo(new[]
        {
            "log p1 Debug", "progress 1 of client-progress", "log p1 Info", "progress 2 of client-progress",
            "log p1 Warning", "progress 3 of client-progress", "answer: logged p1",
        }));
    }

    [Test]
    public async Task StatelessCall_WithoutALogLevel_GetsNoMessages()
    {
        var (logs, answer) = await CallAsync(_stateless, Modern("s2", level: null), headers: ModernHeaders());

        Assert.Multiple(() =>
        {
            Assert.That(logs, Is.Empty);
            Assert.That(Text(answer), Is.EqualTo("logged s2"));
        });
    }

    [Test]
    public async Task StatefulSession_OnASharedUpstreamSession_GetsTheMessagesAtOrAboveTheLevelItSet_InOrder_BeforeTheAnswer()
    {
        var session = await OpenSessionAsync(level: "warning");

        var (logs, answer) = await CallAsync(_stateful, Legacy("w1", pauseMs: 0), session);

        Assert.Multiple(() =>
        {
            Assert.That(logs.Select(l => (string?)l["data"]), Is.EqualTo(new[] { "w1 Warning" }));
            Assert.That(Text(answer), Is.EqualTo("logged w1"));
        });
    }

    [Test]
    public async Task StatefulSession_ThatSetNoLevel_GetsNoMessages()
    {
        var session = await OpenSessionAsync(level: null);

        var (logs, answer) = await CallAsync(_stateful, Legacy("n1", pauseMs: 0), session);

        Assert.Multiple(() =>
        {
            Assert.That(logs, Is.Empty);
            Assert.That(Text(answer), Is.EqualTo("logged n1"));
        });
    }

    [Test]
    public async Task ConcurrentCallers_OnOneUpstreamSession_EachGetOnlyTheirOwnCallsMessages()
    {
        var first = await OpenSessionAsync(level: "debug");
        var second = await OpenSessionAsync(level: "debug");
        var callsBefore = _upstream.Count("tools/call");

        // Interleaved upstream: each call pauses after each message, so the two calls' messages alternate on the session.
        var calls = await Task.WhenAll(
            CallAsync(_stateful, Legacy("first", pauseMs: 150), first),
            CallAsync(_stateful, Legacy("second", pauseMs: 150), second),
            CallAsync(_stateless, Modern("third", level: "debug", pauseMs: 150), headers: ModernHeaders()));
        var upstreamSessions = _upstream.Requests.Where(r => r.Method == "tools/call").Skip(callsBefore)
            .Select(r => r.Headers.GetValueOrDefault("Mcp-Session-Id")).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(calls[0].Logs.Select(l => (string?)l["data"]), Is.EqualTo(new[] { "first Debug", "first Info", "first Warning" }));
            Assert.That(calls[1].Logs.Select(l => (string?)l["data"]), Is.EqualTo(new[] { "second Debug", "second Info", "second Warning" }));
            Assert.That(calls[2].Logs.Select(l => (string?)l["data"]), Is.EqualTo(new[] { "third Debug", "third Info", "third Warning" }));
            Assert.That(calls.Select(c => Text(c.Answer)), Is.EqualTo(new[] { "logged first", "logged second", "logged third" }));
            Assert.That((upstreamSessions.Count, upstreamSessions.Distinct().Count()), Is.EqualTo((3, 2)),
                "one upstream session per gateway: both stateful sessions' calls went on the stateful gateway's shared one");
        });
    }

    private static string Legacy(string tag, int pauseMs) =>
        McpHttp.Request(5, "tools/call", new JsonObject { ["name"] = "up__log_steps", ["arguments"] = new JsonObject { ["tag"] = tag, ["pauseMs"] = pauseMs } }.ToJsonString());

    private static string Modern(string tag, string? level, int pauseMs = 0)
    {
        var meta = new JsonObject
        {
            ["io.modelcontextprotocol/protocolVersion"] = "2026-07-28",
            ["io.modelcontextprotocol/clientCapabilities"] = new JsonObject(),
        };
        if (level is not null)
        {
            meta["io.modelcontextprotocol/logLevel"] = level;
        }

        var parameters = new JsonObject { ["name"] = "up__log_steps", ["arguments"] = new JsonObject { ["tag"] = tag, ["pauseMs"] = pauseMs }, ["_meta"] = meta };
        return McpHttp.Request(5, "tools/call", parameters.ToJsonString());
    }

    private static Dictionary<string, string> ModernHeaders() => new()
    {
        ["MCP-Protocol-Version"] = "2026-07-28",
        ["Mcp-Method"] = "tools/call",
        ["Mcp-Name"] = "up__log_steps",
    };

    /// <summary>A stateful session (a client that declared nothing, so its calls use the shared upstream session), with the level set if given.</summary>
    private async Task<Dictionary<string, string>> OpenSessionAsync(string? level)
    {
        using var init = await _http.SendAsync(McpHttp.Post(_stateful.McpEndpoint, McpHttp.Request(1, "initialize", Initialize)));
        var headers = new Dictionary<string, string>
        {
            ["Mcp-Session-Id"] = init.Headers.GetValues("Mcp-Session-Id").Single(),
            ["MCP-Protocol-Version"] = "2025-11-25",
        };
        using var initialized = await _http.SendAsync(McpHttp.Post(_stateful.McpEndpoint, """{"jsonrpc":"2.0","method":"notifications/initialized"}""", headers: headers));
        if (level is not null)
        {
            using var set = await _http.SendAsync(McpHttp.Post(_stateful.McpEndpoint, McpHttp.Request(2, "logging/setLevel", $$"""{"level":"{{level}}"}"""), headers: headers));
            Assert.That((await McpHttp.ReadMessageAsync(set))["result"], Is.Not.Null, "logging/setLevel answered");
        }

        return headers;
    }

    /// <summary>The log messages' params on the call's response stream, in order, and the answer that ends it.</summary>
    private async Task<(List<JsonNode> Logs, JsonNode Answer)> CallAsync(TestGateway gateway, string body, Dictionary<string, string>? headers = null)
    {
        headers ??= new() { ["MCP-Protocol-Version"] = "2025-11-25" };
        using var response = await _http.SendAsync(McpHttp.Post(gateway.McpEndpoint, body, headers: headers), HttpCompletionOption.ResponseHeadersRead);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            return ([], JsonNode.Parse(await response.Content.ReadAsStringAsync(timeout.Token))!);
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var logs = new List<JsonNode>();
        while (true)
        {
            var message = JsonNode.Parse(await SseEvents.NextDataAsync(reader, timeout.Token))!;
            if ((string?)message["method"] == "notifications/message")
            {
                logs.Add(message["params"]!);
            }
            else if (message["id"] is not null)
            {
                return (logs, message);
            }
        }
    }

    private static string? Text(JsonNode answer) => (string?)answer["result"]?["content"]?[0]?["text"] ?? answer.ToJsonString();
}
