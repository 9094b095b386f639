using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Transforms;

/// <summary>
/// What a tool call puts on the wire, byte for byte (RawRecordingBackend): caller arguments in path holes, query
/// parameters and header bindings never add headers, requests or path segments; bad values are invalid arguments.
/// </summary>
public sealed class ToolRequestWireTests
{
    private const string Schema = """
        {"type":"object","properties":{"agent":{},"task":{},"hval":{},"q":{}},"additionalProperties":false}
        """;

    private RawRecordingBackend _backend = null!;
    private TestGateway _gateway = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _backend = RawRecordingBackend.Start();
        var routes = new RoutesJson()
            .Cluster("raw", _backend.Address)
            .Tool("agent_execute", "raw", "POST /v1/agents/{agent}/execute", Schema)
            .Tool("header_probe", "raw", "POST /probe", Schema, extraTransformKeys: "\"Headers\":\"X-Probe=hval\"")
            .Tool("encoded_header_probe", "raw", "POST /probe", Schema, extraTransformKeys: "\"Headers\":\"X-Probe=hval\",\"HeaderEncoding\":\"percent\"")
            .Tool("query_probe", "raw", "GET /search", Schema, extraTransformKeys: "\"Query\":\"q\"");
        _gateway = await TestGateway.StartAsync(routes.ToString());
        _http = new HttpClient { BaseAddress = _gateway.Address, Timeout = TimeSpan.FromSeconds(10) };
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _gateway.DisposeAsync();
        await _backend.DisposeAsync();
    }

    public static IEnumerable<TestCaseData> InjectingHeaderValues()
    {
        yield return new TestCaseData("v\r\nX-Gateway-Subject: admin").SetName("HeaderValue_CrLfAddedHeader_IsInvalidArgument");
        yield return new TestCaseData("a\r\nContent-Length: 0\r\n\r\nGET /raw/SMUGGLED HTTP/1.1\r\nHost: x\r\n\r\n").SetName("HeaderValue_SmuggledRequest_IsInvalidArgument");
        yield return new TestCaseData("v\nX-Gateway-Subject: admin").SetName("HeaderValue_BareLf_IsInvalidArgument");
        yield return new TestCaseData("v\rX-Gateway-Subject: admin").SetName("HeaderValue_BareCr_IsInvalidArgument");
        yield return new TestCaseData("v\u0000x").SetName("HeaderValue_Nul_IsInvalidArgument");
        yield return new TestCaseData("v\tx").SetName("HeaderValue_Tab_IsInvalidArgument");
        yield return new TestCaseData("v\u007fx").SetName("HeaderValue_Delete_IsInvalidArgument");
        yield return new TestCaseData("v\u0085X-Gateway-Subject: admin").SetName("HeaderValue_NextLine_IsInvalidArgument");
        yield return new TestCaseData("v\u2028X-Gateway-Subject: admin").SetName("HeaderValue_LineSeparator_IsInvalidArgument");
        yield return new TestCaseData("zo\u00eb").SetName("HeaderValue_NonAsciiWithoutOptIn_IsInvalidArgument");
        yield return new TestCaseData("\u010d\u010a").SetName("HeaderValue_CharsWhoseLowByteIsCrLf_IsInvalidArgument");
        yield return new TestCaseData("\ud800").SetName("HeaderValue_UnpairedSurrogate_IsInvalidArgument");
        yield return new TestCaseData(" padded").SetName("HeaderValue_LeadingSpace_IsInvalidArgument");
    }

    [TestCaseSource(nameof(InjectingHeaderValues))]
    public async Task HeaderBinding_RejectsValuesThatAreNotVisibleAscii(string value)
    {
        var before = _backend.RequestLineCount;

        var (status, error, text) = await CallAsync("header_probe", $"{{\"hval\":{Json(value)}}}");

        Assert.That(status, Is.EqualTo(400), text);
        Assert.That(error, Is.EqualTo("InvalidArguments"));
        Assert.That(text, Does.Contain("'hval'").Or.Contain("$.arguments.hval"), "the message names the argument");
        Assert.That(_backend.RequestLineCount, Is.EqualTo(before), "nothing may be sent");
        Assert.That(_backend.AllBytes, Does.Not.Contain("SMUGGLED").And.Not.Contain("admin"));
    }

    [Test]
    public async Task HeaderBinding_OverMcp_InjectionIsAnIsErrorResultNamingTheArgument()
    {
        var before = _backend.RequestLineCount;
        using var response = await _http.SendAsync(McpHttp.Post(_gateway.McpEndpoint,
            """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"header_probe","arguments":{"hval":"v\r\nX-Gateway-Subject: admin"}}}"""));
        var message = await McpHttp.ReadMessageAsync(response);

        Assert.That((bool?)message["result"]?["isError"], Is.True, message.ToJsonString());
        Assert.That((string?)message["result"]?["content"]?[0]?["text"], Does.StartWith("InvalidArguments").And.Contain("'hval'"));
        Assert.That(_backend.RequestLineCount, Is.EqualTo(before));
    }

    [TestCase("plain-value_1.2", "X-Probe: plain-value_1.2\r\n")]
    [TestCase("with inner space", "X-Probe: with inner space\r\n")]
    [TestCase("", "X-Probe: \r\n")]
    public async Task HeaderBinding_VisibleAsciiString_IsSentAsIs(string value, string expectedLine)
    {
        var raw = await SendAndCaptureAsync("header_probe", new JsonObject { ["hval"] = value });
        Assert.That(raw, Does.Contain(expectedLine));
    }

    [TestCase("42", "X-Probe: 42\r\n")]
    [TestCase("-1.5e3", "X-Probe: -1.5e3\r\n")]
    [TestCase("true", "X-Probe: true\r\n")]
    [TestCase("false", "X-Probe: false\r\n")]
    public async Task HeaderBinding_NumberOrBoolean_IsSentAsItsJsonText(string json, string expectedLine)
    {
        var raw = await SendAndCaptureAsync("header_probe", new JsonObject { ["hval"] = JsonNode.Parse(json) });
        Assert.That(raw, Does.Contain(expectedLine));
    }

    [Test]
    public async Task HeaderBinding_Null_SendsNoHeader()
    {
        var raw = await SendAndCaptureAsync("header_probe", new JsonObject { ["hval"] = null });
        Assert.That(raw, Does.Not.Contain("X-Probe"));
    }

    [TestCase("""["v\r\nX-Gateway-Subject: admin"]""")]
    [TestCase("""{"a":"b"}""")]
    public async Task HeaderBinding_ArrayOrObject_IsInvalidArgument(string json)
    {
        var before = _backend.RequestLineCount;
        var (status, error, text) = await CallAsync("header_probe", $"{{\"hval\":{json}}}");

        Assert.That((status, error), Is.EqualTo((400, "InvalidArguments")), text);
        Assert.That(text, Does.Contain("'hval'").And.Contain("string, number or boolean"));
        Assert.That(_backend.RequestLineCount, Is.EqualTo(before));
    }

    [TestCase("zo\u00eb", "X-Probe: zo%C3%AB\r\n")]
    [TestCase("100% sure", "X-Probe: 100%25%20sure\r\n")]
    [TestCase(" padded", "X-Probe: %20padded\r\n")]
    [TestCase("plain", "X-Probe: plain\r\n")]
    public async Task HeaderBinding_PercentEncodingOptIn_EncodesNonVisibleAsciiAsUtf8(string value, string expectedLine)
    {
        var raw = await SendAndCaptureAsync("encoded_header_probe", new JsonObject { ["hval"] = value });
        Assert.That(raw, Does.Contain(expectedLine));
    }

    [TestCase("\"v\\r\\nX-Gateway-Subject: admin\"")]
    [TestCase("\"v\\u0000\"")]
    [TestCase("\"\\ud800\"")]
    [TestCase("\"\\udc00x\"")]
    public async Task HeaderBinding_PercentEncodingOptIn_StillRejectsControlCharactersAndBrokenText(string json)
    {
        var before = _backend.RequestLineCount;
        var (status, error, text) = await CallAsync("encoded_header_probe", $"{{\"hval\":{json}}}");

        Assert.That((status, error), Is.EqualTo((400, "InvalidArguments")), text);
        Assert.That(_backend.RequestLineCount, Is.EqualTo(before));
    }

    public static IEnumerable<TestCaseData> ClimbingPathValues()
    {
        foreach (var value in new[]
        {
            ".", "..", "...", "%2e", "%2E", "%2e%2e", "%2E%2E", ".%2e", "%2e.", "%252e%252e", "%25252e%25252e",
            "\uff0e\uff0e", "\uff0e", "\u2025", "\u2024\u2024", "\ufe52\ufe52", "%EF%BC%8E%EF%BC%8E",
            "../x", "..%2Fx", "..%2fx", "x/..", "..\\x", "..%5cx", "x\\..\\..", "..\uff0fx", "%C0%AE%C0%AE",
        })
        {
            yield return new TestCaseData(value).SetName($"PathHole_DotSegment_IsInvalidArgument({Escape(value)})");
        }
    }

    [TestCaseSource(nameof(ClimbingPathValues))]
    public async Task PathHole_ValueThatIsOrDecodesToADotSegment_IsInvalidArgumentAndNothingIsSent(string value)
    {
        var before = _backend.RequestLineCount;

        var (status, error, text) = await CallAsync("agent_execute", $"{{\"agent\":{Json(value)},\"task\":\"t\"}}");

        Assert.That((status, error), Is.EqualTo((400, "InvalidArguments")), text);
        Assert.That(text, Does.Contain("'agent'").Or.Contain("$.arguments.agent"), "the message names the argument");
        Assert.That(_backend.RequestLineCount, Is.EqualTo(before));
        Assert.That(_backend.AllBytes, Does.Not.Contain("POST /v1/execute").And.Not.Contain("POST /v1/agents/execute"));
    }

    public static IEnumerable<TestCaseData> BrokenPathValues()
    {
        foreach (var (json, name) in new[]
        {
            ("\"\"", "Empty"), ("\"a\\u0000\"", "Nul"), ("\"a\\r\\nb\"", "CrLf"), ("\"a\\u007f\"", "Delete"), ("\"a\\u0085\"", "C1Control"),
            ("\"\\ud800\"", "UnpairedHighSurrogate"), ("\"a\\udc00b\"", "UnpairedLowSurrogate"), ("\"a%00\"", "EncodedNul"),
            ("[\"a\"]", "Array"), ("{\"a\":1}", "Object"), ("null", "Null"),
        })
        {
            yield return new TestCaseData(json).SetName($"PathHole_{name}_IsInvalidArgument");
        }
    }

    [TestCaseSource(nameof(BrokenPathValues))]
    public async Task PathHole_BrokenValue_IsInvalidArgumentAndNothingIsSent(string json)
    {
        var before = _backend.RequestLineCount;

        var (status, error, text) = await CallAsync("agent_execute", $"{{\"agent\":{json},\"task\":\"t\"}}");

        Assert.That((status, error), Is.EqualTo((400, "InvalidArguments")), text);
        Assert.That(text, Does.Contain("'agent'").Or.Contain("$.arguments.agent"), "the message names the argument");
        Assert.That(_backend.RequestLineCount, Is.EqualTo(before));
    }

    [TestCase("\"planner\"", "POST /v1/agents/planner/execute HTTP/1.1\r\n")]
    [TestCase("\"a b/c?d#e\"", "POST /v1/agents/a%20b%2Fc%3Fd%23e/execute HTTP/1.1\r\n")]
    [TestCase("\"a.b\"", "POST /v1/agents/a.b/execute HTTP/1.1\r\n")]
    [TestCase("\"..a\"", "POST /v1/agents/..a/execute HTTP/1.1\r\n")]
    [TestCase("\"%41\"", "POST /v1/agents/%2541/execute HTTP/1.1\r\n")]
    [TestCase("\"zo\u00eb\"", "POST /v1/agents/zo%C3%AB/execute HTTP/1.1\r\n")]
    [TestCase("7", "POST /v1/agents/7/execute HTTP/1.1\r\n")]
    [TestCase("true", "POST /v1/agents/true/execute HTTP/1.1\r\n")]
    public async Task PathHole_GoodValue_IsExactlyOneSegmentOnTheRequestLine(string json, string expectedRequestLine)
    {
        var raw = await SendAndCaptureAsync("agent_execute", new JsonObject { ["agent"] = JsonNode.Parse(json), ["task"] = "t" });
        Assert.That(raw, Does.StartWith(expectedRequestLine));
    }

    [Test]
    public async Task BodyRequest_CarriesExactlyOneJsonContentTypeAndItsLength()
    {
        var raw = await SendAndCaptureAsync("agent_execute", new JsonObject { ["agent"] = "a", ["task"] = "t" });
        var head = raw[..raw.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        var body = raw[(head.Length + 4)..];
        var headers = head.Split("\r\n").Skip(1).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(headers.Where(h => h.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase)), Is.EqualTo(new[] { "Content-Type: application/json; charset=utf-8" }));
            Assert.That(headers.Where(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)), Is.EqualTo(new[] { $"Content-Length: {System.Text.Encoding.UTF8.GetByteCount(body)}" }));
            Assert.That(JsonNode.Parse(body)!["task"]!.GetValue<string>(), Is.EqualTo("t"));
        });
    }

    [Test]
    public async Task BodyArgument_WithLoneSurrogateEscape_IsInvalidArgumentAndNothingIsSent()
    {
        var before = _backend.RequestLineCount;

        var (status, error, text) = await CallAsync("agent_execute", """{"agent":"a","task":"x\ud800y"}""");

        Assert.That((status, error), Is.EqualTo((400, "InvalidArguments")), text);
        Assert.That(text, Does.Contain("$.arguments.task").And.Contain("surrogate"));
        Assert.That(_backend.RequestLineCount, Is.EqualTo(before));
    }

    public static IEnumerable<TestCaseData> BrokenQueryValues()
    {
        foreach (var (json, name) in new[]
        {
            ("\"a\\u0000\"", "Nul"), ("\"a\\r\\nb\"", "CrLf"), ("\"\\ud800\"", "UnpairedSurrogate"), ("{\"a\":1}", "Object"),
            ("[\"a\",{\"b\":1}]", "ArrayWithObject"), ("[\"a\",[\"b\"]]", "NestedArray"), ("[\"a\",null]", "ArrayWithNull"), ("[\"a\\u0000\"]", "ArrayItemWithNul"),
        })
        {
            yield return new TestCaseData(json).SetName($"QueryParameter_{name}_IsInvalidArgument");
        }
    }

    [TestCaseSource(nameof(BrokenQueryValues))]
    public async Task QueryParameter_BrokenValue_IsInvalidArgumentAndNothingIsSent(string json)
    {
        var before = _backend.RequestLineCount;

        var (status, error, text) = await CallAsync("query_probe", $"{{\"q\":{json}}}");

        Assert.That((status, error), Is.EqualTo((400, "InvalidArguments")), text);
        Assert.That(text, Does.Contain("'q'").Or.Contain("$.arguments.q"), "the message names the argument");
        Assert.That(_backend.RequestLineCount, Is.EqualTo(before));
    }

    [TestCase("\"a&b=c #d\"", "GET /search?q=a%26b%3Dc%20%23d HTTP/1.1\r\n")]
    [TestCase("[\"x\",2,true]", "GET /search?q=x&q=2&q=true HTTP/1.1\r\n")]
    [TestCase("\"\"", "GET /search?q= HTTP/1.1\r\n")]
    [TestCase("null", "GET /search HTTP/1.1\r\n")]
    public async Task QueryParameter_GoodValue_IsEncodedOnTheRequestLine(string json, string expectedRequestLine)
    {
        var raw = await SendAndCaptureAsync("query_probe", new JsonObject { ["q"] = JsonNode.Parse(json) });
        Assert.That(raw, Does.StartWith(expectedRequestLine));
    }

    /// <summary>Posts the arguments as raw JSON text, so escapes such as a lone <c>\ud800</c> reach the gateway as written.</summary>
    private async Task<(int Status, string? Error, string Text)> CallAsync(string tool, string argumentsJson)
    {
        using var content = new StringContent($"{{\"tool\":\"{tool}\",\"arguments\":{argumentsJson}}}", Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync("tools/call", content);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.StartsWith('{') ? JsonNode.Parse(text) as JsonObject : null;
        return ((int)response.StatusCode, (string?)body?["error"], (string?)body?["message"] ?? $"HTTP {(int)response.StatusCode}: {text}");
    }

    /// <summary>A JSON string literal with every character outside printable ASCII written as a \uXXXX escape.</summary>
    private static string Json(string value)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in value)
        {
            builder.Append(c is >= ' ' and <= '~' and not '"' and not '\\' ? c.ToString() : $"\\u{(int)c:x4}");
        }

        return builder.Append('"').ToString();
    }

    private async Task<string> SendAndCaptureAsync(string tool, JsonObject arguments)
    {
        var before = _backend.Connections.Select(c => c.Length).ToArray();
        using var response = await _http.PostAsJsonAsync("tools/call", new JsonObject { ["tool"] = tool, ["arguments"] = arguments });
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());

        // The newest request is what this call added to the connections since the snapshot.
        var now = _backend.Connections;
        var added = new StringBuilder();
        for (var i = 0; i < now.Count; i++)
        {
            added.Append(i < before.Length ? now[i][before[i]..] : now[i]);
        }

        return added.ToString();
    }

    private static string Escape(string value)
    {
        var builder = new StringBuilder();
        foreach (var c in value)
        {
            builder.Append(c is >= ' ' and <= '~' and not '\\' ? c.ToString() : $"\\u{(int)c:x4}");
        }

        return builder.ToString();
    }
}
