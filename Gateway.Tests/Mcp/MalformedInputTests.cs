using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Resilience;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Mcp;

/// <summary>
/// Malformed and ambiguous input on every tool-call entry point (Streamable HTTP, legacy SSE, REST facade): each
/// case is a clean 4xx / JSON-RPC error naming the problem, never a 5xx, a -32603 or an Error log line, and
/// nothing of it reaches the backend.
/// </summary>
public sealed class MalformedInputTests
{
    private const string Schema = """{"type":"object","properties":{"query":{"type":"string"},"top_k":{"type":"integer"},"filter":{"type":"object"}}}""";

    private TestBackend _backend = null!;
    private TestGateway _gateway = null!;
    private HttpClient _http = null!;
    private RecordingLoggerProvider _logs = null!;
    private int _backendHits;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _backend = await TestBackend.StartAsync(app => app.Map("/{**path}", (HttpContext context) =>
        {
            Interlocked.Increment(ref _backendHits);
            return Results.Json(new { ok = true });
        }));
        _logs = new RecordingLoggerProvider();
        // Every case here is a refusal from one client address, and every legacy case opens a stream that HttpClient
        // keeps draining for a while after disposal; the refusal budget and the stream caps have their own tests
        // (RefusalLimitTests, McpCapacityTests).
        _gateway = await TestGateway.StartAsync(new RoutesJson().Cluster("echo", _backend.Address).Tool("echo_tool", "echo", "POST /echo", Schema).ToString(),
            new Dictionary<string, string?>
            {
                ["Gateway:RateLimiting:RefusalsPerMinute"] = "0",
                ["Gateway:Mcp:MaxStreamsPerPrincipal"] = "1000",
                ["Gateway:Mcp:MaxSessionsPerPrincipal"] = "1000",
            },
            configure: builder => builder.Logging.AddProvider(_logs));
        _http = new HttpClient { BaseAddress = _gateway.Address };
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _gateway.DisposeAsync();
        await _backend.DisposeAsync();
        _logs.Dispose();
    }

    [SetUp]
    public void ClearLogs() => _logs.Records.Entries.Clear();

    [TearDown]
    public void NoErrorLogged() =>
        Assert.That(_logs.Records.Entries.Where(e => e.Level >= LogLevel.Error).Select(e => $"{e.Category}: {e.Message}"), Is.Empty);

    public static IEnumerable<TestCaseData> McpCases()
    {
        static TestCaseData Case(string name, string body, int code, string? mentions = null) =>
            new TestCaseData(Encoding.UTF8.GetBytes(body), code, mentions).SetArgDisplayNames(name);

        const string Call = """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":""";
        yield return Case("duplicate argument", Call + """{"name":"echo_tool","arguments":{"query":"a","query":"b"}}}""", -32602, "'query'");
        yield return Case("duplicate deep in arguments", Call + """{"name":"echo_tool","arguments":{"filter":{"x":[{"k":1,"k":2}]}}}}""", -32602, "'k'");
        yield return Case("duplicate escaped argument", Call + """{"name":"echo_tool","arguments":{"query":"a","qu\u0065ry":"b"}}}""", -32602, "'query'");
        yield return Case("duplicate name", Call + """{"name":"echo_tool","name":"other"}}""", -32602, "'name'");
        yield return Case("duplicate arguments", Call + """{"name":"echo_tool","arguments":{},"arguments":{"query":"x"}}}""", -32602, "'arguments'");
        yield return Case("duplicate method", """{"jsonrpc":"2.0","id":1,"method":"tools/list","method":"tools/call","params":{}}""", -32600, "'method'");
        yield return Case("duplicate id", """{"jsonrpc":"2.0","id":1,"id":2,"method":"tools/list"}""", -32600, "'id'");
        yield return Case("lone surrogate in argument", Call + """{"name":"echo_tool","arguments":{"query":"\ud800"}}}""", -32602, "Unicode");
        yield return Case("lone low surrogate in argument key", Call + """{"name":"echo_tool","arguments":{"\udc00":"x"}}}""", -32602, "Unicode");
        yield return Case("lone surrogate in name", Call + """{"name":"\ud800"}}""", -32602, "Unicode");
        yield return Case("lone surrogate in method", """{"jsonrpc":"2.0","id":1,"method":"\ud800"}""", -32600, "Unicode");
        yield return Case("lone surrogate in id", """{"jsonrpc":"2.0","id":"\ud800","method":"tools/list"}""", -32600, "Unicode");
        yield return Case("number beyond double in arguments", Call + """{"name":"echo_tool","arguments":{"top_k":1e400}}}""", -32602, "range");
        yield return Case("number beyond double as id", """{"jsonrpc":"2.0","id":1e400,"method":"tools/list"}""", -32600);
        yield return Case("integer id beyond long", """{"jsonrpc":"2.0","id":123456789012345678901234567890,"method":"tools/list"}""", -32600);
        yield return Case("fractional id", """{"jsonrpc":"2.0","id":1.5,"method":"tools/list"}""", -32600);
        yield return Case("object id", """{"jsonrpc":"2.0","id":{},"method":"tools/list"}""", -32600);
        yield return Case("boolean id", """{"jsonrpc":"2.0","id":true,"method":"tools/list"}""", -32600);
        yield return Case("numeric method", """{"jsonrpc":"2.0","id":1,"method":5}""", -32600);
        yield return Case("wrong jsonrpc version", """{"jsonrpc":"1.0","id":1,"method":"tools/list"}""", -32600);
        yield return Case("string params", """{"jsonrpc":"2.0","id":1,"method":"tools/list","params":"x"}""", -32602, "params");
        yield return Case("array params", Call + """["echo_tool"]}""", -32602, "params");
        yield return Case("numeric name", Call + """{"name":5}}""", -32602, "name");
        yield return Case("array arguments", Call + """{"name":"echo_tool","arguments":[1]}}""", -32602, "arguments");
        yield return Case("string arguments", Call + """{"name":"echo_tool","arguments":"x"}}""", -32602, "arguments");
        yield return Case("deep nesting in arguments", Call + """{"name":"echo_tool","arguments":{"filter":""" + new string('[', 100) + new string(']', 100) + "}}}", -32700, "depth");
        yield return Case("empty body", "", -32700, "empty");
        yield return Case("whitespace body", "  \n", -32700, "empty");
        yield return Case("truncated JSON", Call + """{"name":"echo_tool""", -32700);
        yield return Case("batch", "[" + Call + """{"name":"echo_tool"}}]""", -32600, "batches");
        yield return Case("string body", "\"tools/list\"", -32600);
        yield return Case("null body", "null", -32600);

        var invalidUtf8 = Encoding.UTF8.GetBytes(Call + """{"name":"echo_tool","arguments":{"query":"ab"}}}""");
        invalidUtf8[Array.IndexOf(invalidUtf8, (byte)'b', Call.Length + 40)] = 0xFF;
        yield return new TestCaseData(invalidUtf8, -32602, "Unicode").SetArgDisplayNames("invalid UTF-8 in argument");
    }

    [TestCaseSource(nameof(McpCases))]
    public async Task StreamableHttp_MalformedMessage_IsACleanJsonRpcError(byte[] body, int code, string? mentions)
    {
        var hits = Volatile.Read(ref _backendHits);
        using var request = new HttpRequestMessage(HttpMethod.Post, "mcp") { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");

        using var response = await _http.SendAsync(request);

        Assert.That((int)response.StatusCode, Is.EqualTo(400).Or.EqualTo(200), await response.Content.ReadAsStringAsync());
        AssertError(await McpHttp.ReadMessageAsync(response), code, mentions);
        Assert.That(Volatile.Read(ref _backendHits), Is.EqualTo(hits), "nothing reaches the backend");
    }

    [TestCaseSource(nameof(McpCases))]
    public async Task LegacySse_MalformedMessage_IsACleanJsonRpcError(byte[] body, int code, string? mentions)
    {
        var hits = Volatile.Read(ref _backendHits);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var stream = await _http.GetAsync("sse", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(timeout.Token));
        var endpoint = (await SseEvents.NextAsync(reader, timeout.Token)).Data;

        using var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        using var response = await _http.PostAsync(endpoint, content, timeout.Token);

        var error = response.StatusCode == HttpStatusCode.Accepted
            ? JsonNode.Parse((await SseEvents.NextAsync(reader, timeout.Token)).Data)!.AsObject()
            : JsonNode.Parse(await response.Content.ReadAsStringAsync(timeout.Token))!.AsObject();
        Assert.That((int)response.StatusCode, Is.EqualTo(400).Or.EqualTo(202));
        AssertError(error, code, mentions);
        Assert.That(Volatile.Read(ref _backendHits), Is.EqualTo(hits), "nothing reaches the backend");
    }

    [Test]
    public async Task StreamableHttp_DuplicateKeyInParams_EchoesTheRequestId()
    {
        using var response = await _http.SendAsync(McpHttp.Post(_gateway.McpEndpoint,
            """{"jsonrpc":"2.0","id":"req-7","method":"tools/call","params":{"name":"echo_tool","arguments":{"query":"a","query":"b"}}}"""));

        var message = await McpHttp.ReadMessageAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((string?)message["id"], Is.EqualTo("req-7"));
        Assert.That((string?)message["error"]!["data"]!["key"], Is.EqualTo("query"));
        Assert.That((string?)message["error"]!["data"]!["path"], Is.EqualTo("$.params.arguments"));
    }

    public static IEnumerable<TestCaseData> RestCases()
    {
        static TestCaseData Case(string name, string body, string? mentions = null) =>
            new TestCaseData(Encoding.UTF8.GetBytes(body), mentions).SetArgDisplayNames(name);

        yield return Case("duplicate argument", """{"tool":"echo_tool","arguments":{"query":"MATCH (n) DETACH DELETE n","query":"MATCH (n) RETURN n"}}""", "'query'");
        yield return Case("duplicate deep in arguments", """{"tool":"echo_tool","arguments":{"filter":{"a":{"b":[{"k":1,"k":2}]}}}}""", "'k'");
        yield return Case("duplicate tool", """{"tool":"echo_tool","tool":"other","arguments":{}}""", "'tool'");
        yield return Case("duplicate arguments", """{"tool":"echo_tool","arguments":{},"arguments":{"query":"x"}}""", "'arguments'");
        yield return Case("lone surrogate in tool", """{"tool":"\ud800","arguments":{}}""", "Unicode");
        yield return Case("lone surrogate in argument", """{"tool":"echo_tool","arguments":{"query":"\udfff"}}""", "Unicode");
        yield return Case("lone surrogate in server", """{"tool":"echo_tool","server":"\ud800"}""", "Unicode");
        yield return Case("number beyond double", """{"tool":"echo_tool","arguments":{"top_k":-1e400}}""", "range");
        yield return Case("deep nesting", """{"tool":"echo_tool","arguments":{"filter":""" + new string('[', 100) + new string(']', 100) + "}}", "depth");
        yield return Case("empty body", "", "empty");
        yield return Case("truncated JSON", """{"tool":"echo_tool","arguments":{""");
        yield return Case("numeric tool", """{"tool":5}""", "tool");
        yield return Case("array arguments", """{"tool":"echo_tool","arguments":[1]}""", "object");
        yield return Case("numeric server", """{"tool":"echo_tool","server":5}""", "server");
        yield return Case("array body", "[]", "tool");
        yield return Case("null body", "null", "tool");

        var invalidUtf8 = Encoding.UTF8.GetBytes("""{"tool":"echo_tool","arguments":{"query":"ab"}}""");
        invalidUtf8[^4] = 0xC3;
        yield return new TestCaseData(invalidUtf8, "Unicode").SetArgDisplayNames("invalid UTF-8 in argument");
    }

    [TestCaseSource(nameof(RestCases))]
    public async Task RestFacade_MalformedCall_Is400NamingTheProblem(byte[] body, string? mentions)
    {
        var hits = Volatile.Read(ref _backendHits);
        using var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");

        using var response = await _http.PostAsync("tools/call", content);

        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), text);
        var error = JsonNode.Parse(text)!.AsObject();
        Assert.That((string?)error["error"], Is.EqualTo("InvalidArguments"));
        Assert.That((string?)error["message"], mentions is null ? Is.Not.Empty : Does.Contain(mentions));
        Assert.That(Volatile.Read(ref _backendHits), Is.EqualTo(hits), "nothing reaches the backend");
    }

    [TestCase("1e308")]
    [TestCase("-1e308")]
    [TestCase("123456789012345678901234567890")]
    [TestCase("1e-400")]
    [TestCase("9223372036854775808")]
    public async Task LargeButFiniteNumbers_AreAnsweredWithoutServerErrors(string number)
    {
        using var rest = await _http.PostAsync("tools/call", new StringContent("""{"tool":"echo_tool","arguments":{"top_k":""" + number + "}}", Encoding.UTF8, "application/json"));
        using var mcp = await _http.SendAsync(McpHttp.Post(_gateway.McpEndpoint, McpHttp.Request(1, "tools/call", """{"name":"echo_tool","arguments":{"top_k":""" + number + "}}")));

        Assert.That((int)rest.StatusCode, Is.LessThan(500), await rest.Content.ReadAsStringAsync());
        var message = await McpHttp.ReadMessageAsync(mcp);
        Assert.That((int?)message["error"]?["code"], Is.Not.EqualTo(-32603), message.ToJsonString());
    }

    [Test]
    public async Task RestFacade_DuplicateKey_NamesKeyAndPathInData()
    {
        using var response = await _http.PostAsync("tools/call", new StringContent("""{"tool":"echo_tool","arguments":{"query":"a","query":"b"}}""", Encoding.UTF8, "application/json"));

        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That((string?)error["data"]!["key"], Is.EqualTo("query"));
        Assert.That((string?)error["data"]!["path"], Is.EqualTo("$.arguments"));
    }

    [Test]
    public async Task WellFormedCalls_StillReachTheBackend()
    {
        var hits = Volatile.Read(ref _backendHits);
        using var rest = await _http.PostAsync("tools/call", new StringContent("""{"tool":"echo_tool","arguments":{"query":"caf\u00e9 \ud83d\ude00","top_k":3}}""", Encoding.UTF8, "application/json"));
        using var mcp = await _http.SendAsync(McpHttp.Post(_gateway.McpEndpoint, McpHttp.Request(1, "tools/call", """{"name":"echo_tool","arguments":{"query":"\ud83d\ude00"}}""")));

        Assert.That(rest.StatusCode, Is.EqualTo(HttpStatusCode.OK), await rest.Content.ReadAsStringAsync());
        var message = await McpHttp.ReadMessageAsync(mcp);
        Assert.That(message["result"], Is.Not.Null, message.ToJsonString());
        Assert.That(Volatile.Read(ref _backendHits), Is.EqualTo(hits + 2));
    }

    private static void AssertError(JsonObject message, int code, string? mentions)
    {
        Assert.That(message["error"], Is.Not.Null, message.ToJsonString());
        Assert.That((int)message["error"]!["code"]!, Is.EqualTo(code), message.ToJsonString());
        var text = (string?)message["error"]!["message"];
        Assert.That(text, mentions is null ? Is.Not.Empty : Does.Contain(mentions).IgnoreCase);
        Assert.That(text, Does.Not.Contain("   at "), "no stack trace");
    }
}
