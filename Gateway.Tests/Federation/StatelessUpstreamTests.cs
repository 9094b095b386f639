using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Gateway.Tests.Federation;

/// <summary>
/// A stateless upstream (the C# SDK's MapMcp in stateless mode: no Mcp-Session-Id, no GET stream) federated like a
/// stateful one: its tools are listed and called, and no request carries a session id.
/// </summary>
public sealed class StatelessUpstreamTests
{
    [Test]
    public async Task StatelessUpstream_IsListedAndCalled_WithoutASessionId()
    {
        var sessionIds = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddMcpServer(o => o.ServerInfo = new Implementation { Name = "stateless-upstream", Version = "1.0" })
            .WithHttpTransport(o => o.SessionMode = HttpServerSessionMode.Stateless)
            .WithTools([McpServerTool.Create((string text) => "stateless: " + text, new McpServerToolCreateOptions { Name = "echo", Description = "Echoes the text." })]);
        await using var upstream = builder.Build();
        upstream.Use(async (context, next) =>
        {
            sessionIds.Enqueue(context.Request.Headers["Mcp-Session-Id"].ToString());
            await next();
        });
        upstream.MapMcp("/mcp");
        await upstream.StartAsync();
        var address = new Uri(upstream.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First() + "/");
        await using var gateway = await TestGateway.StartAsync(FederatedRoutes.With(new RoutesJson(), ("up", address, "{}")));
        await FederatedRoutes.WaitForToolAsync(gateway.Services, "up__echo");
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = gateway.McpEndpoint }, loggerFactory: null));

        var result = await client.CallToolAsync("up__echo", new Dictionary<string, object?> { ["text"] = "no session" });

        Assert.Multiple(() =>
        {
            Assert.That(((TextContentBlock)result.Content[0]).Text, Is.EqualTo("stateless: no session"));
            Assert.That(sessionIds, Is.Not.Empty);
            Assert.That(sessionIds, Has.All.Empty, "a stateless upstream issues no session id, so none is sent");
        });
    }
}
