using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Gateway.Tests.Federation;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Security;

namespace Gateway.Tests.Mcp;

/// <summary>
/// The stateless <c>tools/call</c> fast path must answer exactly as the SDK's <c>MapMcp</c> path would: two gateways,
/// identical but for Gateway:Mcp:ToolCallFastPath, get the same calls (every tool, argument error and rejection
/// class) and must return the same JSON-RPC message for each.
/// </summary>
public sealed class ToolCallFastPathDifferentialTests
{
    private const string Schema = """{"type":"object","properties":{"text":{"type":"string"},"n":{"type":"integer"}},"required":["text"],"additionalProperties":false}""";

    private TestBackend _backend = null!;
    private CSharpUpstream _upstream = null!;
    private SecuredGateway _fast = null!;
    private SecuredGateway _sdk = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _backend = await TestBackend.StartAsync(app =>
        {
            app.MapPost("/ok", async context =>
            {
                using var reader = new StreamReader(context.Request.Body);
                await context.Response.WriteAsJsonAsync(new { path = "/ok", body = await reader.ReadToEndAsync() });
            });
            app.MapPost("/status/{code:int}", (int code) => Results.Text($"backend says {code}", statusCode: code));
            app.MapPost("/slow", async context => await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted));
        });

        _upstream = await CSharpUpstream.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:RateLimiting:Policies:one:PermitLimit"] = "1",
            ["Gateway:RateLimiting:Policies:one:Window"] = "01:00:00",
            ["Gateway:Limits:MaxStringLength"] = "100",
        };
        _fast = await SecuredGateway.StartAsync(new Dictionary<string, string?>(settings) { ["Gateway:Mcp:ToolCallFastPath"] = "true" }, _ => Routes());
        _sdk = await SecuredGateway.StartAsync(new Dictionary<string, string?>(settings) { ["Gateway:Mcp:ToolCallFastPath"] = "false" }, _ => Routes());
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        await FederatedRoutes.WaitForToolAsync(_fast.Gateway.Services, "up__all_content");
        await FederatedRoutes.WaitForToolAsync(_sdk.Gateway.Services, "up__all_content");
        await FederatedRoutes.WaitForToolAsync(_fast.Gateway.Services, "uplim__echo");
        await FederatedRoutes.WaitForToolAsync(_sdk.Gateway.Services, "uplim__echo");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _fast.DisposeAsync();
        await _sdk.DisposeAsync();
        await _backend.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    /// <summary>
    /// In order: the rate-limited tool is called twice, and both gateways must see the same sequence. Arguments that
    /// are not an object are refused by the request gate, before either path; they are here to keep it that way.
    /// </summary>
    private static IEnumerable<(string Name, string Scope, string Tool, string? Arguments)> Calls()
    {
        const string Full = "tools:read tools:call graph:read";
        yield return ("success", Full, "echo", """{"text":"hi","n":2}""");
        yield return ("success without schema", Full, "free_echo", """{"anything":[1,2]}""");
        yield return ("arguments absent", Full, "free_echo", null);
        yield return ("arguments null", Full, "free_echo", "null");
        yield return ("unknown tool", Full, "no_such_tool", "{}");
        yield return ("hidden tool", "tools:read tools:call", "graph_echo", "{}");
        yield return ("visible scoped tool", Full, "graph_echo", "{}");
        yield return ("required argument missing", Full, "echo", """{"n":1}""");
        yield return ("argument of the wrong type", Full, "echo", """{"text":5}""");
        yield return ("unexpected argument", Full, "echo", """{"text":"a","colour":"red"}""");
        yield return ("arguments not an object", Full, "echo", "\"text\"");
        yield return ("limit exceeded", Full, "free_echo", "{\"long\":\"" + new string('x', 200) + "\"}");
        yield return ("cypher write refused", Full, "cypher", """{"query":"CREATE (n:Service) RETURN n"}""");
        yield return ("cypher read allowed", Full, "cypher", """{"query":"MATCH (s:Service) RETURN s.name"}""");
        yield return ("backend 500", Full, "fails_500", "{}");
        yield return ("backend 400", Full, "fails_400", "{}");
        yield return ("backend 404", Full, "fails_404", "{}");
        yield return ("backend 429", Full, "fails_429", "{}");
        yield return ("backend 503", Full, "fails_503", "{}");
        yield return ("backend unreachable", Full, "unreachable", "{}");
        yield return ("tool timeout", Full, "slow", "{}");
        yield return ("rate limit: first call passes", Full, "limited", "{}");
        yield return ("rate limit: second call refused", Full, "limited", "{}");
        yield return ("federated: success", Full, "up__echo", """{"text":"hi"}""");
        yield return ("federated: every content kind", Full, "up__all_content", "{}");
        yield return ("federated: upstream isError", Full, "up__fails", "{}");
        yield return ("federated: result within the cap", Full, "up__big", """{"bytes":100}""");
        yield return ("federated: result over the cap", Full, "up__big", """{"bytes":5000}""");
        yield return ("federated: schema refusal", Full, "up__echo", """{"text":5}""");
        yield return ("federated: cypher write refused", Full, "up__cypher", """{"query":"CREATE (n) RETURN n"}""");
        yield return ("federated: hidden tool", "tools:read tools:call", "up__cypher", """{"query":"MATCH (n) RETURN n"}""");
        yield return ("federated: excluded tool", Full, "up__get_env", "{}");
        yield return ("federated: rate limit, first call passes", Full, "uplim__echo", """{"text":"a"}""");
        yield return ("federated: rate limit, second call refused", Full, "uplim__echo", """{"text":"b"}""");
    }

    [Test]
    public async Task BothPaths_AnswerEveryCallTheSame_AcrossEveryOutcomeClass()
    {
        var outcomes = new HashSet<string>();
        var mismatches = new List<string>();
        foreach (var (name, scope, tool, arguments) in Calls())
        {
            var parameters = arguments is null ? $$"""{"name":"{{tool}}"}""" : $$"""{"name":"{{tool}}","arguments":{{arguments}}}""";
            var (fastStatus, fastType, fast) = await CallAsync(_fast, scope, parameters);
            var (sdkStatus, sdkType, sdk) = await CallAsync(_sdk, scope, parameters);
            outcomes.Add(Outcome(fast));
            var refusedBeforeEitherPath = arguments is not null && !arguments.StartsWith('{') && arguments != "null";
            if (fastType != "application/json" || sdkType != (refusedBeforeEitherPath ? "application/json" : "text/event-stream"))
            {
                mismatches.Add($"{name}: answered as {fastType} and {sdkType}, so one path was not taken");
            }

            if (fastStatus != sdkStatus || Normalize(fast) != Normalize(sdk))
            {
                mismatches.Add($"{name}:\n  fast {(int)fastStatus} {fast.ToJsonString()}\n  sdk  {(int)sdkStatus} {sdk.ToJsonString()}");
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(mismatches, Is.Empty, string.Join("\n", mismatches));
            Assert.That(outcomes, Is.SupersetOf(new[]
            {
                "result", "error -32602", "error -32602 ToolNotFound", "isError InvalidArguments", "isError LimitExceeded",
                "isError RateLimited", "isError CypherValidationError", "isError BackendError", "isError BackendRejected",
                "isError BackendUnavailable", "isError ToolTimeout", "isError ResultTooLarge",
            }), "the cases must reach every outcome class: " + string.Join(", ", outcomes));
        });
    }

    /// <summary>
    /// The fast path reads the plain form of a tools/call itself and takes any other through the SDK's message model;
    /// either way its answers must be the SDK's.
    /// </summary>
    [TestCase("""{"jsonrpc":"2.0","id":"req-7","method":"tools/call","params":{"name":"echo","arguments":{"text":"hi"}}}""", TestName = "BothPaths_AnswerTheSame_StringId")]
    [TestCase("""{"params":{"arguments":{"text":"hi"},"name":"echo"},"method":"tools/call","id":9,"jsonrpc":"2.0"}""", TestName = "BothPaths_AnswerTheSame_MembersInAnyOrder")]
    [TestCase("""{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hi"},"_meta":{"note":"x"}}}""", TestName = "BothPaths_AnswerTheSame_MetaWithoutProgress")]
    [TestCase("""{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hi"},"extra":true}}""", TestName = "BothPaths_AnswerTheSame_UnknownParamsMember")]
    [TestCase("""{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"echo","arguments":{"text":7}}}""", TestName = "BothPaths_AnswerTheSame_SchemaRefusal")]
    public async Task BothPaths_AnswerTheSame_WhateverTheEnvelope(string body)
    {
        const string Full = "tools:read tools:call graph:read";
        var (fastStatus, fastType, fast) = await CallAsync(_fast, Full, body, raw: true);
        var (sdkStatus, sdkType, sdk) = await CallAsync(_sdk, Full, body, raw: true);

        Assert.Multiple(() =>
        {
            Assert.That((fastType, sdkType), Is.EqualTo(("application/json", "text/event-stream")), "each gateway took its own path");
            Assert.That((fastStatus, Normalize(fast)), Is.EqualTo((sdkStatus, Normalize(sdk))));
        });
    }

    private async Task<(HttpStatusCode, string?, JsonObject)> CallAsync(SecuredGateway gateway, string scope, string parameters, bool raw = false)
    {
        using var request = McpHttp.Post(gateway.Gateway.McpEndpoint, raw ? parameters : McpHttp.Request(42, "tools/call", parameters),
            headers: new Dictionary<string, string> { ["MCP-Protocol-Version"] = "2025-11-25" });
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", gateway.Token(scope: scope));
        using var response = await _http.SendAsync(request);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await McpHttp.ReadMessageAsync(response));
    }

    private static string Outcome(JsonObject message)
    {
        if (message["error"] is { } error)
        {
            return $"error {(int)error["code"]!}" + (error["data"]?["code"] is { } code ? " " + (string?)code : "");
        }

        var result = message["result"]!;
        return result["isError"]?.GetValue<bool>() == true
            ? "isError " + ((string?)result["content"]![0]!["text"])!.Split(':')[0]
            : "result";
    }

    /// <summary>The message as text, with what legitimately differs between two gateways (their retry deadlines) masked.</summary>
    private static string Normalize(JsonObject message)
    {
        var copy = message.DeepClone().AsObject();
        MaskTimes(copy["error"]?["data"] as JsonObject);
        MaskTimes(copy["result"]?["_meta"]?["mcp-gateway/error"] as JsonObject);
        if (copy["result"]?["content"]?[0] is JsonObject { } first && (string?)first["text"] is { } text && text.StartsWith("RateLimited:", StringComparison.Ordinal))
        {
            // The two calls may straddle a clock second, so their retry times differ by one.
            first["text"] = System.Text.RegularExpressions.Regex.Replace(text, @"\d+(\.\d+)? ?s\b", "<time>");
        }

        return copy.ToJsonString();
    }

    private static void MaskTimes(JsonObject? data)
    {
        if (data is null)
        {
            return;
        }

        foreach (var key in data.Select(p => p.Key).Where(k => k.Contains("retry", StringComparison.OrdinalIgnoreCase) || k.Contains("reset", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            data[key] = "<time>";
        }
    }

    private string Routes()
    {
        // The upstream once more as 'uplim', its echo rate-limited: the differential must see a federated RateLimited too.
        const string Upstream = """
            {
              "Exclude": [ "get_env" ],
              "Tools": {
                "cypher": { "Transforms": [ { "ValidateCypher": "query" } ], "Metadata": { "Gateway.RequiredScopes": "tools:call,graph:read" } },
                "big": { "Metadata": { "Gateway.MaxResultBytes": "1000" } }
              }
            }
            """;
        var routes = JsonNode.Parse(FederatedRoutes.With(new RoutesJson(), ("up", _upstream.Address, Upstream), ("uplim", _upstream.Address,
            """{ "Include": [ "echo" ], "RateLimiterPolicy": "one" }""")))!;
        var rest = JsonNode.Parse(new RoutesJson()
            .Cluster("backend", _backend.Address)
            .Cluster("dead", new Uri($"http://127.0.0.1:{FreePort.Next()}/"))
            .Tool("echo", "backend", "POST /ok", Schema)
            .Tool("free_echo", "backend", "POST /ok")
            .Tool("graph_echo", "backend", "POST /ok", routeExtras: """{"Metadata":{"Gateway.RequiredScopes":"tools:call,graph:read"}}""")
            .Tool("fails_500", "backend", "POST /status/500")
            .Tool("fails_400", "backend", "POST /status/400")
            .Tool("fails_404", "backend", "POST /status/404")
            .Tool("fails_429", "backend", "POST /status/429")
            .Tool("fails_503", "backend", "POST /status/503")
            .Tool("unreachable", "dead", "POST /ok")
            .Tool("slow", "backend", "POST /slow", routeExtras: """{"Timeout":"00:00:00.300"}""")
            .Tool("limited", "backend", "POST /ok", routeExtras: """{"RateLimiterPolicy":"one"}""")
            .Tool("cypher", "backend", "POST /ok", """{"type":"object","properties":{"query":{"type":"string"}},"required":["query"]}""")
            .ToString())!;
        rest["ReverseProxy"]!["Routes"]!["cypher"]!["Transforms"] = JsonNode.Parse("""[ { "ValidateCypher": "query" }, { "McpToolRequest": "POST /ok" } ]""");
        foreach (var (id, cluster) in routes["ReverseProxy"]!["Clusters"]!.AsObject().ToList())
        {
            rest["ReverseProxy"]!["Clusters"]![id] = cluster!.DeepClone();
        }

        rest["Federation"] = routes["Federation"]!.DeepClone();
        return rest.ToJsonString();
    }
}
