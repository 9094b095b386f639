using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Gateway.Tests.Federation;

/// <summary>
/// The reference server of the MCP project, <c>@modelcontextprotocol/server-everything</c> from npm (installed by
/// <c>npm ci</c> in samples/federation, as .ci/run does), in streamable HTTP mode behind the gateway with the sample's
/// federation entry.
/// </summary>
[NonParallelizable]
public sealed class EverythingServerTests
{
    private static readonly string SampleDirectory = ServerEverything.SampleDirectory;

    private RunningServerEverything? _server;
    private TestGateway _gateway = null!;
    private McpClient _client = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await RunningServerEverything.StartAsync();
        var port = _server.Port;

        // The sample's own entry, pointed at this test's port.
        var routes = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(SampleDirectory, "routes.json")))!;
        routes["ReverseProxy"]!["Clusters"]!["everything"]!["Destinations"]!["everything-1"]!["Address"] = $"http://127.0.0.1:{port}/";
        _gateway = await TestGateway.StartAsync(routes.ToJsonString());
        await FederatedRoutes.WaitForToolAsync(_gateway.Services, "everything__echo");
        _client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = _gateway.McpEndpoint }, loggerFactory: null));
        _http = new HttpClient { BaseAddress = _gateway.Address };
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_server is null)
        {
            return;
        }

        await _client.DisposeAsync();
        _http.Dispose();
        await _gateway.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task ToolsList_HasTheUpstreamsTools_WithoutGetEnv_BesideTheDemoTools()
    {
        var tools = (await _client.ListToolsAsync()).ToDictionary(t => t.Name, t => t.ProtocolTool);

        Assert.Multiple(() =>
        {
            Assert.That(tools.Keys, Is.SupersetOf(new[] { "graph_query", "everything__echo", "everything__get-tiny-image", "everything__get-structured-content" }));
            Assert.That(tools.Keys, Does.Not.Contain("everything__get-env"));
            Assert.That(tools["everything__echo"].Description, Is.EqualTo("Echoes a message back (federated from the everything reference server)."));
            Assert.That(tools["everything__get-structured-content"].OutputSchema, Is.Not.Null);
        });
    }

    [Test]
    public async Task Calls_RelayTextImageResourcesAndStructuredContent()
    {
        var echo = await _client.CallToolAsync("everything__echo", new Dictionary<string, object?> { ["message"] = "hi" });
        var image = await _client.CallToolAsync("everything__get-tiny-image");
        var resource = await _client.CallToolAsync("everything__get-resource-reference", new Dictionary<string, object?> { ["resourceType"] = "Text", ["resourceId"] = 1 });
        var links = await _client.CallToolAsync("everything__get-resource-links", new Dictionary<string, object?> { ["count"] = 2 });
        var structured = await _client.CallToolAsync("everything__get-structured-content", new Dictionary<string, object?> { ["location"] = "Chicago" });

        Assert.Multiple(() =>
        {
            Assert.That(((TextContentBlock)echo.Content[0]).Text, Does.Contain("hi"));
            Assert.That(image.Content.OfType<ImageContentBlock>().Single().MimeType, Is.EqualTo("image/png"));
            Assert.That(resource.Content.OfType<EmbeddedResourceBlock>(), Is.Not.Empty);
            Assert.That(links.Content.OfType<ResourceLinkBlock>().Count(), Is.EqualTo(2));
            Assert.That(structured.StructuredContent, Is.Not.Null);
        });
    }

    [Test]
    public async Task SchemaRefusal_AndRestFacadeByServer_WorkAsForRestTools()
    {
        var refused = await _client.CallToolAsync("everything__get-structured-content", new Dictionary<string, object?> { ["location"] = "Atlantis" });
        using var facade = await _http.PostAsJsonAsync("tools/call", new { server = "everything", tool = "echo", arguments = new { message = "via facade" } });
        var body = JsonNode.Parse(await facade.Content.ReadAsStringAsync())!;

        Assert.Multiple(() =>
        {
            Assert.That(((TextContentBlock)refused.Content[0]).Text, Does.StartWith("InvalidArguments:"));
            Assert.That((int)facade.StatusCode, Is.EqualTo(200));
            Assert.That((string?)body["content"]![0]!["text"], Does.Contain("via facade"));
        });
    }
}
