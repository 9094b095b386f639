using Gateway.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Gateway.Tests.Federation;

/// <summary>
/// A stateless upstream (the C# SDK's MapMcp in stateless mode: no Mcp-Session-Id, no GET stream) federated like a
/// stateful one through the shared session: its tools are listed and called, and no request carries a session id.
/// (UpstreamSessionScopeTests covers the same upstream under SessionScope Principal.)
/// </summary>
public sealed class StatelessUpstreamTests
{
    [Test]
    public async Task StatelessUpstream_IsListedAndCalled_WithoutASessionId()
    {
        await using var upstream = await CSharpUpstream.StartAsync(stateless: true);
        await using var gateway = await TestGateway.StartAsync(FederatedRoutes.With(new RoutesJson(), ("up", upstream.Address, "{}")));
        await FederatedRoutes.WaitForToolAsync(gateway.Services, "up__echo");
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = gateway.McpEndpoint }, loggerFactory: null));

        var result = await client.CallToolAsync("up__echo", new Dictionary<string, object?> { ["text"] = "no session" });

        Assert.Multiple(() =>
        {
            Assert.That(((TextContentBlock)result.Content[0]).Text, Is.EqualTo("echo: no session"));
            Assert.That(upstream.Requests, Is.Not.Empty);
            Assert.That(upstream.Requests.Select(r => r.Headers.ContainsKey("Mcp-Session-Id")), Has.All.False, "a stateless upstream issues no session id, so none is sent");
        });
    }
}
