using Gateway.Proxy.Federation.Resources;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Resilience;
using Gateway.Tests.Security;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Gateway.Tests.Federation;

/// <summary>
/// The guards of an upstream's resources, prompts and completions: its access rule and rate limit (the same as its
/// tools'), a stateless gateway refusing subscriptions by naming the setting, and an upstream that went down.
/// </summary>
[NonParallelizable]
public sealed class FederatedResourceAccessTests
{
    [Test]
    public async Task RequiredScopes_HideTheUpstreamsResourcesAndPrompts_FromCallersWithoutThem()
    {
        await using var upstream = await CSharpUpstream.StartAsync(label: "docs");
        await using var gateway = await SecuredGateway.StartAsync(routes: echo => FederatedRoutes.With(
            new RoutesJson().Cluster("echo", echo).Tool("open_echo", "echo", "POST /tools/open"),
            ("docs", upstream.Address, """{"Metadata":{"Gateway.RequiredScopes":"docs:read"}}""")));
        await WaitForPromptAsync(gateway.Gateway, "docs__greet");
        await using var without = await gateway.ConnectWithTokenAsync(gateway.Token());
        await using var with = await gateway.ConnectWithTokenAsync(gateway.Token(scope: "tools:read tools:call docs:read"));

        var hiddenResources = (await without.ListResourcesAsync()).Select(r => r.Uri);
        var hiddenPrompts = (await without.ListPromptsAsync()).Select(p => p.Name);
        var read = await Assert.ThrowsAsync<McpProtocolException>(() => without.ReadResourceAsync("mcp-gateway://docs/test://doc/readme").AsTask());
        var prompt = await Assert.ThrowsAsync<McpProtocolException>(() => without.GetPromptAsync("docs__greet").AsTask());
        var complete = await Assert.ThrowsAsync<McpProtocolException>(() => without.CompleteAsync(new PromptReference { Name = "docs__greet" }, "name", "A").AsTask());
        var allowed = await with.ReadResourceAsync("mcp-gateway://docs/test://doc/readme");

        Assert.Multiple(() =>
        {
            Assert.That(hiddenResources, Is.Empty);
            Assert.That(hiddenPrompts, Is.Empty);
            Assert.That(read!.ErrorCode, Is.EqualTo(McpErrorCode.InvalidParams), "hidden like an unknown resource");
            Assert.That(read.Message, Does.Contain("Unknown resource"));
            Assert.That(prompt!.ErrorCode, Is.EqualTo(McpErrorCode.InvalidParams));
            Assert.That(complete!.ErrorCode, Is.EqualTo(McpErrorCode.InvalidParams));
            Assert.That(((TextResourceContents)allowed.Contents.Single()).Text, Is.EqualTo("docs: readme"));
            Assert.That(upstream.Requests.Count(r => r.Method == "resources/read"), Is.EqualTo(1), "refused reads never reach the upstream");
        });
    }

    [Test]
    public async Task RequiredScopes_GuardTheVerbatimUpstreamsOwnUris_LikeItsGatewayUris()
    {
        await using var upstream = await CSharpUpstream.StartAsync(label: "docs");
        await using var gateway = await SecuredGateway.StartAsync(routes: echo => FederatedRoutes.With(
            new RoutesJson().Cluster("echo", echo).Tool("open_echo", "echo", "POST /tools/open"),
            ("docs", upstream.Address, """{"Metadata":{"Gateway.RequiredScopes":"docs:read"},"Resources":{"Uris":"Verbatim"}}""")));
        await WaitForPromptAsync(gateway.Gateway, "docs__greet");
        await using var without = await gateway.ConnectWithTokenAsync(gateway.Token());
        await using var with = await gateway.ConnectWithTokenAsync(gateway.Token(scope: "tools:read tools:call docs:read"));

        var hidden = (await without.ListResourcesAsync()).Select(r => r.Uri);
        var read = await Assert.ThrowsAsync<McpProtocolException>(() => without.ReadResourceAsync(CSharpUpstream.ReadmeUri).AsTask());
        var listed = (await with.ListResourcesAsync()).Select(r => r.Uri);
        var allowed = await with.ReadResourceAsync(CSharpUpstream.ReadmeUri);

        Assert.Multiple(() =>
        {
            Assert.That(hidden, Is.Empty);
            Assert.That(read!.ErrorCode, Is.EqualTo(McpErrorCode.InvalidParams), "hidden like an unknown resource");
            Assert.That(read.Message, Does.Contain("Unknown resource"));
            Assert.That(listed, Does.Contain(CSharpUpstream.ReadmeUri));
            Assert.That(((TextResourceContents)allowed.Contents.Single()).Text, Is.EqualTo("docs: readme"));
            Assert.That(upstream.Requests.Count(r => r.Method == "resources/read"), Is.EqualTo(1), "the refused read never reached the upstream");
        });
    }

    [Test]
    public async Task RateLimiterPolicy_LimitsReads_AndAStatelessGatewayRefusesSubscribe_NamingTheSetting()
    {
        await using var upstream = await CSharpUpstream.StartAsync(label: "limited");
        await using var gateway = await TestGateway.StartAsync(
            FederatedRoutes.With(new RoutesJson(), ("limited", upstream.Address, """{"RateLimiterPolicy":"one"}""")),
            new Dictionary<string, string?>
            {
                ["Gateway:RateLimiting:Policies:one:PermitLimit"] = "1",
                ["Gateway:RateLimiting:Policies:one:Window"] = "01:00:00",
            });
        await WaitForPromptAsync(gateway, "limited__greet");
        await using var client = await ConnectAsync(gateway);

        await client.ReadResourceAsync("mcp-gateway://limited/test://doc/readme");
        var limited = await Assert.ThrowsAsync<McpProtocolException>(() => client.ReadResourceAsync("mcp-gateway://limited/test://doc/readme").AsTask());
        var subscribe = await Assert.ThrowsAsync<McpProtocolException>(() => client.SubscribeToResourceAsync("mcp-gateway://limited/test://doc/readme"));

        Assert.Multiple(() =>
        {
            Assert.That(limited!.Message, Does.Contain("RateLimited: Rate limit exceeded"));
            Assert.That((int)limited.ErrorCode, Is.EqualTo(-32000));
            Assert.That(subscribe!.Message, Does.Contain("Gateway:Mcp:Stateful").And.Contain("MCP_GATEWAY_MCP_STATEFUL"));
            Assert.That(client.ServerCapabilities.Resources?.Subscribe, Is.Not.True, "not offered without sessions");
            Assert.That(upstream.SubscriptionRequests, Is.Empty);
        });
    }

    [Test]
    public async Task UpstreamDown_KeepsItsResourcesListed_AndReadsFailAsBackendUnavailable()
    {
        await using var upstream = await CSharpUpstream.StartAsync(label: "flaky");
        await using var gateway = await TestGateway.StartAsync(FederatedRoutes.With(new RoutesJson(), ("flaky", upstream.Address, "{}")));
        await WaitForPromptAsync(gateway, "flaky__greet");
        await using var client = await ConnectAsync(gateway);

        await upstream.StopAsync();
        var failed = await Assert.ThrowsAsync<McpProtocolException>(() => client.ReadResourceAsync("mcp-gateway://flaky/test://doc/readme").AsTask());
        var prompt = await Assert.ThrowsAsync<McpProtocolException>(() => client.GetPromptAsync("flaky__greet").AsTask());
        var listed = (await client.ListResourcesAsync()).Select(r => r.Uri);
        var prompts = (await client.ListPromptsAsync()).Select(p => p.Name);

        Assert.Multiple(() =>
        {
            Assert.That(failed!.Message, Does.Contain("BackendUnavailable:").And.Contain("upstream MCP server 'flaky'"));
            Assert.That(prompt!.Message, Does.Contain("BackendUnavailable:"));
            Assert.That(listed, Does.Contain("mcp-gateway://flaky/test://doc/readme"), "the last known resources stay");
            Assert.That(prompts, Does.Contain("flaky__greet"));
        });
    }

    private static Task WaitForPromptAsync(TestGateway gateway, string name)
    {
        var catalog = gateway.Services.GetRequiredService<FederatedPrimitiveCatalog>();
        return GatewayProbe.EventuallyAsync(() => Task.FromResult(catalog.Current.PromptsByName.ContainsKey(name)), $"prompt '{name}' is listed");
    }

    private static Task<McpClient> ConnectAsync(TestGateway gateway) => McpClient.CreateAsync(
        new HttpClientTransport(new HttpClientTransportOptions { Endpoint = gateway.McpEndpoint, TransportMode = HttpTransportMode.StreamableHttp }, loggerFactory: null),
        new McpClientOptions { ProtocolVersion = "2025-11-25" });
}
