using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Gateway.Proxy.Federation;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Gateway.Tests.Federation;

/// <summary>
/// A legacy HTTP+SSE upstream (protocol 2024-11-05): the MCP project's reference server,
/// <c>@modelcontextprotocol/server-everything</c>, run in <c>sse</c> mode behind the gateway.
/// </summary>
[NonParallelizable]
public sealed class SseUpstreamTests
{
    private int _port;
    private RunningServerEverything? _server;
    private TestGateway _gateway = null!;
    private McpClient _client = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await RunningServerEverything.StartAsync("sse");
        _port = _server.Port;
        _gateway = await TestGateway.StartAsync(FederatedRoutes.With(new RoutesJson(),
            ("everything", new Uri($"http://127.0.0.1:{_port}/"), """{ "Transport": "Sse", "Exclude": [ "get-env" ] }""")));
        await FederatedRoutes.WaitForToolAsync(_gateway.Services, "everything__echo");
        _client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = _gateway.McpEndpoint }, loggerFactory: null));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_server is null)
        {
            return;
        }

        await _client.DisposeAsync();
        await _gateway.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task ToolsList_HasTheSseUpstreamsTools()
    {
        var tools = (await _client.ListToolsAsync()).Select(t => t.Name).ToList();

        Assert.That(tools, Is.SupersetOf(new[] { "everything__echo", "everything__get-sum", "everything__get-tiny-image" }));
        Assert.That(tools, Does.Not.Contain("everything__get-env"));
    }

    [Test]
    public async Task Calls_AreAnsweredOverTheSseStream()
    {
        var echo = await _client.CallToolAsync("everything__echo", new Dictionary<string, object?> { ["message"] = "over sse" });
        var sum = await _client.CallToolAsync("everything__get-sum", new Dictionary<string, object?> { ["a"] = 2, ["b"] = 40 });
        var image = await _client.CallToolAsync("everything__get-tiny-image");

        Assert.Multiple(() =>
        {
            Assert.That(((TextContentBlock)echo.Content[0]).Text, Does.Contain("over sse"));
            Assert.That(((TextContentBlock)sum.Content[0]).Text, Does.Contain("42"));
            Assert.That(image.Content.OfType<ImageContentBlock>().Single().MimeType, Is.EqualTo("image/png"));
        });
    }

    [Test]
    public async Task UpstreamRestart_TheNextCallOpensANewSseSession()
    {
        await _client.CallToolAsync("everything__echo", new Dictionary<string, object?> { ["message"] = "before" });

        await _server!.DisposeAsync();
        _server = await RunningServerEverything.StartAsync("sse", _port);
        var after = await _client.CallToolAsync("everything__echo", new Dictionary<string, object?> { ["message"] = "after restart" });

        Assert.That(((TextContentBlock)after.Content[0]).Text, Does.Contain("after restart"), string.Join("\n", after.Content.OfType<TextContentBlock>().Select(t => t.Text)));
    }
}
