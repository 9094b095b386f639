using DemoBackends;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Client;

namespace Gateway.Tests.Mcp;

/// <summary>The <c>instructions</c> of <c>initialize</c>: drawn from the catalog by default, or <c>Gateway:Mcp:Instructions</c>.</summary>
public sealed class ServerInstructionsTests
{
    [Test]
    public async Task Default_SummarizesTheCatalogsBackendsAndTools_AndFollowsAReload()
    {
        await using var backends = await DemoBackendHost.StartAsync(DemoBackendOptions.Ephemeral());
        await using var gateway = await TestGateway.StartAsync(SeedRoutes.For(backends));

        await using (var client = await ConnectAsync(gateway))
        {
            Assert.That(client.ServerInstructions, Does.StartWith("This MCP gateway fronts internal services as tools."));
            Assert.That(client.ServerInstructions, Does.Contain("ai-agents (agent_execute, graph_query, run_agent_function, run_discussion)")
                .And.Contain("code-orchestrator (code_analyze, code_pattern_audit)").And.Contain("isError"));
        }

        await Resilience.GatewayProbe.WriteAtomicallyAsync(gateway.RoutesPath,
            new RoutesJson().Cluster("solo", backends.AddressOf("ai-agents")).Tool("only_tool", "solo", "POST /x").ToString());
        await Resilience.GatewayProbe.EventuallyAsync(async () =>
        {
            await using var client = await ConnectAsync(gateway);
            return client.ServerInstructions?.Contains("solo (only_tool)") == true;
        }, "the instructions describe the reloaded catalog");
    }

    [Test]
    public async Task Configured_IsSentVerbatim_OnBothTransportsModes()
    {
        const string text = "Internal tools of team X. Prefer graph_query for dependency questions.";
        await using var backend = await TestBackend.StartEchoAsync();
        var routes = new RoutesJson().Cluster("b", backend.Address).Tool("t", "b", "POST /t").ToString();
        foreach (var stateful in new[] { "false", "true" })
        {
            await using var gateway = await TestGateway.StartAsync(routes, new Dictionary<string, string?>
            {
                ["Gateway:Mcp:Instructions"] = text,
                ["Gateway:Mcp:Stateful"] = stateful,
            });
            await using var client = await ConnectAsync(gateway);
            Assert.That(client.ServerInstructions, Is.EqualTo(text), $"Stateful={stateful}");
        }
    }

    [TestCase("   ", "blank text")]
    [TestCase(null, "4097 characters")]
    public async Task Invalid_StopsStartupNamingTheSetting(string? value, string got)
    {
        value ??= new string('x', 4097);
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
            await TestGateway.StartAsync(new RoutesJson().ToString(), new Dictionary<string, string?> { ["Gateway:Mcp:Instructions"] = value }));
        Assert.That(ex!.Message, Does.Contain("Gateway:Mcp:Instructions").And.Contain(got).And.Contain("at most 4096"));
    }

    private static Task<McpClient> ConnectAsync(TestGateway gateway) =>
        McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = gateway.McpEndpoint }, loggerFactory: null));
}
