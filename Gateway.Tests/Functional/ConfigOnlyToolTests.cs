using Gateway.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Gateway.Tests.Functional;

/// <summary>Adding a tool is an edit to routes.json: no C#, no restart.</summary>
public sealed class ConfigOnlyToolTests
{
    [Test]
    public async Task ToolAddedToRoutesJson_BecomesListedAndCallableWithoutRestart()
    {
        await using var backend = await TestBackend.StartEchoAsync();
        var routes = new RoutesJson().Cluster("echo", backend.Address).Tool("first_tool", "echo", "POST /first");
        await using var gateway = await TestGateway.StartAsync(routes.ToString());
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = gateway.McpEndpoint }, loggerFactory: null));
        Assert.That((await client.ListToolsAsync()).Select(t => t.Name), Is.EqualTo(new[] { "first_tool" }));

        routes.Tool("added_tool", "echo", "PUT /items/{id}", """{"type":"object","properties":{"id":{"type":"string"},"note":{"type":"string"}},"required":["id"]}""");
        await gateway.WriteRoutesAsync(routes.ToString());

        var deadline = DateTime.UtcNow.AddSeconds(10);
        IList<McpClientTool> tools;
        do
        {
            await Task.Delay(100);
            tools = await client.ListToolsAsync();
        }
        while (tools.Count < 2 && DateTime.UtcNow < deadline);

        Assert.That(tools.Select(t => t.Name), Is.EquivalentTo(new[] { "first_tool", "added_tool" }));
        var result = await client.CallToolAsync("added_tool", new Dictionary<string, object?> { ["id"] = "a/1", ["note"] = "n" });
        var echo = System.Text.Json.Nodes.JsonNode.Parse(((TextContentBlock)result.Content[0]).Text)!;
        Assert.That((string?)echo["method"], Is.EqualTo("PUT"));
        Assert.That((string?)echo["rawTarget"], Is.EqualTo("/items/a%2F1"));
        Assert.That((string?)echo["body"], Is.EqualTo("""{"note":"n"}"""));
    }

    [Test]
    public async Task GetTool_MapsQueryAndHeaderArgumentsAndSendsNoBody()
    {
        await using var backend = await TestBackend.StartEchoAsync();
        var routes = new RoutesJson().Cluster("echo", backend.Address).Tool("lookup", "echo", "GET /docs/{id}",
            """{"type":"object","properties":{"id":{"type":"string"},"q":{"type":"string"},"tags":{"type":"array"},"session":{"type":"string"}}}""",
            extraTransformKeys: "\"Query\":\"search=q,tags\",\"Headers\":\"X-Session=session\"");
        await using var gateway = await TestGateway.StartAsync(routes.ToString());
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = gateway.McpEndpoint }, loggerFactory: null));

        var result = await client.CallToolAsync("lookup", new Dictionary<string, object?>
        {
            ["id"] = "7", ["q"] = "a&b=c", ["tags"] = new[] { "x", "y" }, ["session"] = "s-1",
        });
        var echo = System.Text.Json.Nodes.JsonNode.Parse(((TextContentBlock)result.Content[0]).Text)!;

        Assert.That((string?)echo["method"], Is.EqualTo("GET"));
        Assert.That((string?)echo["path"], Is.EqualTo("/docs/7"));
        Assert.That((string?)echo["query"], Is.EqualTo("?search=a%26b%3Dc&tags=x&tags=y"));
        Assert.That((string?)echo["headers"]!["x-session"], Is.EqualTo("s-1"));
        Assert.That((string?)echo["body"], Is.Empty);
    }
}
