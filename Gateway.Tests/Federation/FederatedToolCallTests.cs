using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Gateway.Tests.Federation;

/// <summary>
/// A C# SDK MCP server federated by a gateway on real Kestrel: one catalog, calls relayed with every content kind, and
/// the call pipeline's refusals (schema, validators, rate limits) applied before the upstream sees anything.
/// </summary>
public sealed class FederatedToolCallTests
{
    private const string UpstreamEntry = """
        {
          "Exclude": [ "get_env" ],
          "RateLimiterPolicy": "federated",
          "Tools": {
            "echo": { "Title": "Upstream echo", "Description": "Echoes text through the gateway." },
            "cypher": { "Transforms": [ { "ValidateCypher": "query" } ] },
            "fails": { "Name": "always_fails", "RateLimiterPolicy": "one" }
          }
        }
        """;

    private TestBackend _rest = null!;
    private CSharpUpstream _upstream = null!;
    private TestGateway _gateway = null!;
    private HttpClient _http = null!;
    private McpClient _client = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _rest = await TestBackend.StartEchoAsync();
        _upstream = await CSharpUpstream.StartAsync();
        _gateway = await TestGateway.StartAsync(
            FederatedRoutes.With(new RoutesJson().Cluster("rest", _rest.Address).Tool("rest_echo", "rest", "POST /echo"), ("up", _upstream.Address, UpstreamEntry)),
            new Dictionary<string, string?>
            {
                ["Gateway:RateLimiting:Policies:one:PermitLimit"] = "1",
                ["Gateway:RateLimiting:Policies:one:Window"] = "01:00:00",
                ["Gateway:RateLimiting:Policies:federated:PermitLimit"] = "1000",
                ["Gateway:RateLimiting:Policies:federated:Window"] = "00:01:00",
            });
        await FederatedRoutes.WaitForToolAsync(_gateway.Services, "up__echo");
        _http = new HttpClient { BaseAddress = _gateway.Address, Timeout = TimeSpan.FromSeconds(30) };
        _client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = _gateway.McpEndpoint }, loggerFactory: null));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _client.DisposeAsync();
        _http.Dispose();
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
        await _rest.DisposeAsync();
    }

    [Test]
    public async Task ToolsList_ShowsUpstreamToolsBesideRestTools_RenamedFilteredAndOverridden()
    {
        var tools = (await _client.ListToolsAsync()).ToDictionary(t => t.Name, t => t.ProtocolTool);
        var facade = JsonNode.Parse(await _http.GetStringAsync("tools"))!["tools"]!.AsArray().Select(t => (string)t!["name"]!).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(tools.Keys, Is.EquivalentTo(new[] { "rest_echo", "up__echo", "up__cypher", "up__all_content", "up__big", "up__slow", "up__progress_burst", "always_fails" }));
            Assert.That(facade, Is.EquivalentTo(tools.Keys), "GET /tools lists what tools/list lists");
            Assert.That(tools["up__echo"].Title, Is.EqualTo("Upstream echo"));
            Assert.That(tools["up__echo"].Description, Is.EqualTo("Echoes text through the gateway."));
            Assert.That(tools["up__echo"].Annotations?.ReadOnlyHint, Is.True, "the upstream's annotations are kept");
            Assert.That(tools["up__echo"].InputSchema.GetProperty("properties").TryGetProperty("text", out _), Is.True);
            Assert.That(tools["up__all_content"].OutputSchema?.GetProperty("properties").TryGetProperty("city", out _), Is.True);
        });
    }

    [Test]
    public async Task Call_RelaysEveryContentKindAndStructuredContent()
    {
        var result = await _client.CallToolAsync("up__all_content");

        Assert.Multiple(() =>
        {
            Assert.That(result.IsError, Is.Not.True);
            Assert.That(result.Content.Select(c => c.Type), Is.EqualTo(new[] { "text", "image", "audio", "resource", "resource_link" }));
            Assert.That(((ImageContentBlock)result.Content[1]).MimeType, Is.EqualTo("image/png"));
            Assert.That(Convert.ToBase64String(((ImageContentBlock)result.Content[1]).DecodedData.ToArray()), Is.EqualTo(CSharpUpstream.TinyPng));
            Assert.That(Convert.ToBase64String(((AudioContentBlock)result.Content[2]).DecodedData.ToArray()), Is.EqualTo(CSharpUpstream.TinyWav));
            Assert.That(((TextResourceContents)((EmbeddedResourceBlock)result.Content[3]).Resource).Text, Is.EqualTo("embedded text"));
            Assert.That(((ResourceLinkBlock)result.Content[4]).Uri, Is.EqualTo("mcp-gateway://up/test://doc/2"), "resource URIs in results are the gateway's");
            Assert.That(((EmbeddedResourceBlock)result.Content[3]).Resource.Uri, Is.EqualTo("mcp-gateway://up/test://doc/1"));
            Assert.That(result.StructuredContent?.GetProperty("city").GetString(), Is.EqualTo("Chicago"));
        });
    }

    [Test]
    public async Task RestFacade_TakesServerAndUpstreamToolName_AndAnswersTheSameResult()
    {
        using var byServer = await _http.PostAsJsonAsync("tools/call", new { server = "up", tool = "all_content", arguments = new { } });
        using var byName = await _http.PostAsJsonAsync("tools/call", new { tool = "up__all_content" });
        using var wrongServer = await _http.PostAsJsonAsync("tools/call", new { server = "rest", tool = "up__all_content" });
        var mcp = JsonSerializer.SerializeToNode(await _client.CallToolAsync("up__all_content"))!;

        var body = JsonNode.Parse(await byServer.Content.ReadAsStringAsync())!;
        Assert.Multiple(() =>
        {
            Assert.That(byServer.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(byName.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body["content"]!.ToJsonString(), Is.EqualTo(mcp["content"]!.ToJsonString()));
            Assert.That(body["structuredContent"]!.ToJsonString(), Is.EqualTo(mcp["structuredContent"]!.ToJsonString()));
            Assert.That(wrongServer.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task UpstreamIsError_IsRelayed_AndTheFacadeAnswers422()
    {
        // 'fails' is renamed 'always_fails' and limited to one call an hour: MCP takes it, the facade's is refused.
        var result = await _client.CallToolAsync("always_fails");
        using var facade = await _http.PostAsJsonAsync("tools/call", new { server = "up", tool = "fails" });

        Assert.Multiple(async () =>
        {
            Assert.That(result.IsError, Is.True);
            Assert.That(((TextContentBlock)result.Content[0]).Text, Is.EqualTo("upstream says no"));
            Assert.That(facade.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), await facade.Content.ReadAsStringAsync());
        });
    }

    [Test]
    public async Task SchemaAndValidatorRefusals_NeverReachTheUpstream()
    {
        var before = CallsReceived();
        var wrongType = await _client.CallToolAsync("up__echo", new Dictionary<string, object?> { ["text"] = 5 });
        var write = await _client.CallToolAsync("up__cypher", new Dictionary<string, object?> { ["query"] = "MATCH (n) DETACH DELETE n" });
        var read = await _client.CallToolAsync("up__cypher", new Dictionary<string, object?> { ["query"] = "MATCH (n) RETURN n" });

        Assert.Multiple(() =>
        {
            Assert.That(((TextContentBlock)wrongType.Content[0]).Text, Does.StartWith("InvalidArguments: Invalid arguments for tool 'up__echo'"));
            Assert.That(((TextContentBlock)write.Content[0]).Text, Does.StartWith("CypherValidationError:"));
            Assert.That(((TextContentBlock)read.Content[0]).Text, Is.EqualTo("ran: MATCH (n) RETURN n"));
            Assert.That(CallsReceived() - before, Is.EqualTo(1), "only the admitted call reached the upstream");
        });
    }

    [Test]
    public async Task UnknownUpstreamTool_IsAnUnknownTool()
    {
        var error = await Assert.ThrowsAsync<ModelContextProtocol.McpProtocolException>(async () => await _client.CallToolAsync("up__get_env"));
        using var facade = await _http.PostAsJsonAsync("tools/call", new { server = "up", tool = "get_env" });

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain("Unknown tool 'up__get_env'"));
            Assert.That(facade.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task RestFacade_ToolOfAnotherServer_IsUnknownOnThatServer_AndAudited()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "tools/call")
        {
            Content = new StringContent("""{"server":"up","tool":"rest_echo","arguments":{"text":"x"}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Request-ID", "fed-wrong-server-1");
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var line = await AuditLines.WaitForAsync(Path.Combine(_gateway.Directory, "logs", "audit.jsonl"), "fed-wrong-server-1");

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(body, Does.Contain("Unknown tool 'rest_echo' on server 'up'"));
            Assert.That((string?)line["status"], Is.Not.EqualTo("ok"));
            Assert.That(line.ToJsonString(), Does.Contain("ToolNotFound"));
        });
    }

    [Test]
    public async Task AuditLine_NamesServerAndUpstreamTool()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "tools/call")
        {
            Content = new StringContent("""{"server":"up","tool":"echo","arguments":{"text":"audited"}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Request-ID", "fed-audit-1");
        using var response = await _http.SendAsync(request);
        var line = await AuditLines.WaitForAsync(Path.Combine(_gateway.Directory, "logs", "audit.jsonl"), "fed-audit-1");

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((string?)line["tool"], Is.EqualTo("up__echo"));
            Assert.That((string?)line["server"], Is.EqualTo("up"));
            Assert.That((string?)line["upstream_tool"], Is.EqualTo("echo"));
            Assert.That((string?)line["cluster"], Is.EqualTo("up-cluster"));
            Assert.That((string?)line["status"], Is.EqualTo("ok"));
        });
    }

    private int CallsReceived() => _upstream.Count("tools/call");
}
