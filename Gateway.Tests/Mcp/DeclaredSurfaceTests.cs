using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using ModelContextProtocol.Client;

namespace Gateway.Tests.Mcp;

/// <summary>
/// What the gateway declares is what it does, as the README states it: the SDK's <c>logging</c> capability (setLevel
/// accepted, no log notifications sent), and <c>GET /tools</c> listing exactly what <c>tools/list</c> lists.
/// </summary>
public sealed class DeclaredSurfaceTests
{
    private const string Initialize = """{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}""";

    [TestCase("false")]
    [TestCase("true")]
    public async Task Logging_IsDeclared_AndSetLevelIsAccepted_AsDocumented(string stateful)
    {
        await using var backend = await TestBackend.StartEchoAsync();
        await using var gateway = await TestGateway.StartAsync(new RoutesJson().Cluster("b", backend.Address).Tool("t", "b", "POST /t").ToString(),
            new Dictionary<string, string?> { ["Gateway:Mcp:Stateful"] = stateful });
        using var http = new HttpClient();

        using var init = await http.SendAsync(McpHttp.Post(gateway.McpEndpoint, McpHttp.Request(1, "initialize", Initialize)));
        var capabilities = (await McpHttp.ReadMessageAsync(init))["result"]!["capabilities"]!;
        var headers = new Dictionary<string, string> { ["MCP-Protocol-Version"] = "2025-11-25" };
        if (init.Headers.TryGetValues("Mcp-Session-Id", out var session))
        {
            headers["Mcp-Session-Id"] = session.Single();
        }

        using var setLevel = await http.SendAsync(McpHttp.Post(gateway.McpEndpoint, McpHttp.Request(2, "logging/setLevel", """{"level":"debug"}"""), headers: headers));
        var answer = await McpHttp.ReadMessageAsync(setLevel);

        Assert.That(capabilities["logging"]?.ToJsonString(), Is.EqualTo("{}"));
        Assert.That(answer["result"]?.ToJsonString(), Is.EqualTo("{}"), answer.ToJsonString());

        var readme = File.ReadAllText(Path.Combine(SeedRoutes.RepositoryRoot, "README.md"));
        Assert.That(readme, Does.Contain("`initialize` declares `logging: {}`").And.Not.Contain("declares no logging capability"));
    }

    [Test]
    public async Task GetTools_ListsWhatToolsListLists()
    {
        await using var backend = await TestBackend.StartEchoAsync();
        await using var gateway = await TestGateway.StartAsync(new RoutesJson().Cluster("b", backend.Address)
            .Tool("alpha", "b", "POST /a", annotations: """{"readOnlyHint":true}""").Tool("beta", "b", "POST /b").ToString());
        using var http = new HttpClient { BaseAddress = gateway.Address };
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = gateway.McpEndpoint }, loggerFactory: null));

        var rest = JsonNode.Parse(await http.GetStringAsync("tools"))!["tools"]!.AsArray();
        var mcp = await client.ListToolsAsync();

        Assert.That(rest.Select(t => (string?)t!["name"]), Is.EqualTo(mcp.Select(t => t.Name)));
        foreach (var tool in mcp)
        {
            var listed = rest.Single(t => (string?)t!["name"] == tool.Name)!;
            Assert.That(listed["inputSchema"]!.ToJsonString(), Is.EqualTo(JsonNode.Parse(tool.ProtocolTool.InputSchema.GetRawText())!.ToJsonString()));
            Assert.That((string?)listed["description"], Is.EqualTo(tool.Description));
        }
    }
}
