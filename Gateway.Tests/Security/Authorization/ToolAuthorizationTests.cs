using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Client;

namespace Gateway.Tests.Security.Authorization;

/// <summary>
/// Per-tool authorization through every entry point: tools/list and tools/call over MCP (SDK client), the REST
/// facade, and a REST passthrough route, all decided by the routes' Gateway.* metadata.
/// </summary>
public sealed class ToolAuthorizationTests
{
    private static readonly string[] s_allTools = ["admin_echo", "globex_echo", "graph_echo", "open_echo", "premium_echo"];

    private SecuredGateway _env = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _env = await SecuredGateway.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _env.DisposeAsync();

    public static IEnumerable<TestCaseData> Callers()
    {
        yield return new TestCaseData("tools:call", "standard", "acme", null, new[] { "open_echo" }).SetArgDisplayNames("basic caller");
        yield return new TestCaseData("tools:call graph:read", "standard", "acme", null, new[] { "graph_echo", "open_echo" }).SetArgDisplayNames("graph scopes");
        yield return new TestCaseData("graph:read", "standard", "acme", null, new[] { "open_echo" }).SetArgDisplayNames("one of two scopes");
        yield return new TestCaseData(null, "premium", "acme", null, new[] { "open_echo", "premium_echo" }).SetArgDisplayNames("premium tier");
        yield return new TestCaseData(null, "enterprise", "acme", null, new[] { "open_echo", "premium_echo" }).SetArgDisplayNames("tier above minimum");
        yield return new TestCaseData(null, "gold", "acme", null, new[] { "open_echo" }).SetArgDisplayNames("unknown tier");
        yield return new TestCaseData(null, "free", "globex", null, new[] { "globex_echo", "open_echo" }).SetArgDisplayNames("globex tenant");
        yield return new TestCaseData(null, "free", null, new[] { "owner" }, new[] { "admin_echo", "open_echo" }).SetArgDisplayNames("one of the roles");
        yield return new TestCaseData("tools:call graph:read", "enterprise", "globex", new[] { "admin" }, s_allTools).SetArgDisplayNames("everything");
    }

    [TestCaseSource(nameof(Callers))]
    public async Task McpToolsList_ShowsOnlyTheToolsTheCallerMayCall(string? scope, string tier, string? tenant, string[]? roles, string[] expected)
    {
        await using var client = await _env.ConnectWithTokenAsync(Token(scope, tier, tenant, roles));

        var tools = await client.ListToolsAsync();

        Assert.That(tools.Select(t => t.Name), Is.EquivalentTo(expected));
    }

    [TestCaseSource(nameof(Callers))]
    public async Task RestToolsList_ShowsTheSameTools(string? scope, string tier, string? tenant, string[]? roles, string[] expected)
    {
        using var request = _env.Request(HttpMethod.Get, "tools", Token(scope, tier, tenant, roles));

        using var response = await _env.Http.SendAsync(request);

        var tools = (await response.Content.ReadFromJsonAsync<JsonObject>())!["tools"]!.AsArray().Select(t => (string?)t!["name"]);
        Assert.That(tools, Is.EquivalentTo(expected));
    }

    [Test]
    public async Task McpToolsCall_AllowedTool_ReachesTheBackend()
    {
        await using var client = await _env.ConnectWithTokenAsync(Token("tools:call graph:read", "standard", "acme"));

        var result = await client.CallToolAsync("graph_echo", new Dictionary<string, object?>());

        Assert.That(result.IsError, Is.Not.True);
        Assert.That(((ModelContextProtocol.Protocol.TextContentBlock)result.Content[0]).Text, Does.Contain("/tools/graph"));
    }

    [Test]
    public async Task McpToolsCall_HiddenTool_FailsExactlyLikeAnUnknownTool()
    {
        await using var client = await _env.ConnectWithTokenAsync(Token("tools:call", "standard", "acme"));
        var hidden = await Assert.ThrowsAsync<McpProtocolException>(() => client.CallToolAsync("graph_echo", new Dictionary<string, object?>()).AsTask());
        var unknown = await Assert.ThrowsAsync<McpProtocolException>(() => client.CallToolAsync("no_such_tool", new Dictionary<string, object?>()).AsTask());

        Assert.That(hidden!.ErrorCode, Is.EqualTo(unknown!.ErrorCode));
        Assert.That(hidden.Message.Replace("graph_echo", "X", StringComparison.Ordinal),
            Is.EqualTo(unknown.Message.Replace("no_such_tool", "X", StringComparison.Ordinal)));
        Assert.That(hidden.Message, Does.Not.Contain("scope").And.Not.Contain("forbidden").IgnoreCase);
    }

    [Test]
    public async Task RestFacadeCall_HiddenTool_Is404LikeAnUnknownTool()
    {
        var token = Token("tools:call", "standard", "acme");
        using var hiddenRequest = _env.Request(HttpMethod.Post, "tools/call", token);
        hiddenRequest.Content = JsonContent.Create(new { tool = "premium_echo", arguments = new { } });
        using var unknownRequest = _env.Request(HttpMethod.Post, "tools/call", token);
        unknownRequest.Content = JsonContent.Create(new { tool = "no_such_tool", arguments = new { } });

        using var hidden = await _env.Http.SendAsync(hiddenRequest);
        using var unknown = await _env.Http.SendAsync(unknownRequest);

        Assert.That(hidden.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var hiddenBody = (await hidden.Content.ReadFromJsonAsync<JsonObject>())!;
        var unknownBody = (await unknown.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That((string?)hiddenBody["error"], Is.EqualTo((string?)unknownBody["error"]));
        Assert.That(((string?)hiddenBody["message"])!.Replace("premium_echo", "X", StringComparison.Ordinal),
            Is.EqualTo(((string?)unknownBody["message"])!.Replace("no_such_tool", "X", StringComparison.Ordinal)));
    }

    [Test]
    public async Task RestFacadeCall_AllowedTool_Is200()
    {
        using var request = _env.Request(HttpMethod.Post, "tools/call", Token(null, "premium", "acme"));
        request.Content = JsonContent.Create(new { tool = "premium_echo", arguments = new { } });

        using var response = await _env.Http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task PassthroughRoute_WithoutTheRequiredScope_Is403InsufficientScope()
    {
        var before = await _env.AuthFailuresAsync("forbidden");

        using var response = await _env.Http.SendAsync(_env.Request(HttpMethod.Get, "api/echo/items", Token("tools:call", "enterprise", "acme")));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer error=\"insufficient_scope\"")
            .And.Contain("scope=\"api:read\"")
            .And.Contain($"resource_metadata=\"{SecuredGateway.PublicOrigin}/.well-known/oauth-protected-resource\""));
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That((string?)body["error"], Is.EqualTo("Forbidden"));
        Assert.That(await _env.AuthFailuresAsync("forbidden"), Is.EqualTo(before + 1));
    }

    [Test]
    public async Task PassthroughRoute_WithTheRequiredScope_ReachesTheBackend()
    {
        using var response = await _env.Http.SendAsync(_env.Request(HttpMethod.Get, "api/echo/items", Token("api:read", "free", "acme")));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((string?)(await response.Content.ReadFromJsonAsync<JsonObject>())!["path"], Is.EqualTo("/api/echo/items"));
    }

    [Test]
    public async Task ApiKeyWithScopes_GetsTheSameFilteringOverMcp()
    {
        var key = await _env.CreateApiKeyAsync("--subject", "svc-graph", "--tier", "premium", "--tenant", "acme", "--scopes", "tools:call,graph:read");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        IList<McpClientTool>? tools = null;
        while (tools is null && DateTime.UtcNow < deadline)
        {
            try
            {
                await using var client = await _env.ConnectAsync(new Dictionary<string, string> { ["X-API-Key"] = key });
                tools = await client.ListToolsAsync();
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100); // the key file is picked up by the next poll
            }
        }

        Assert.That(tools?.Select(t => t.Name), Is.EquivalentTo(new[] { "graph_echo", "open_echo", "premium_echo" }));
    }

    private string Token(string? scope, string tier, string? tenant, string[]? roles = null) =>
        _env.Token(c =>
        {
            if (roles is not null)
            {
                c["roles"] = new JsonArray(roles.Select(r => (JsonNode)r).ToArray());
            }
        }, scope: scope, tier: tier, tenant: tenant);
}
