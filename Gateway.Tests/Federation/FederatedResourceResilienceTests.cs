using Gateway.Proxy.Federation.Resources;
using Gateway.Proxy.Observability.Metrics;
using Gateway.Proxy.Resilience;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Resilience;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Gateway.Tests.Federation;

/// <summary>
/// An upstream's resource reads, prompts and completions go through its cluster's protections like its tool calls:
/// the circuit breaker (opened by failed reads of a killed upstream, then refusing with the CircuitOpen message), the
/// concurrency limit (BackendBusy), each refusal a JSON-RPC -32000 error; answers to caller mistakes do not count.
/// Each test runs its own upstream and gateway, since breaker and concurrency state are per cluster.
/// </summary>
public sealed class FederatedResourceResilienceTests
{
    private const string Readme = "mcp-gateway://up/test://doc/readme";

    [Test]
    public async Task KilledUpstream_FailedReadsOpenTheBreaker_AndTheNextReadIsRefusedWithTheCircuitOpenMessage()
    {
        await using var upstream = await CSharpUpstream.StartAsync();
        await using var gateway = await StartAsync(upstream, FederatedRoutes.BreakerAfterFourCalls());
        await using var client = await ConnectAsync(gateway);

        var first = await client.ReadResourceAsync(Readme);
        await upstream.StopAsync();
        var failures = new List<McpProtocolException>();
        for (var i = 0; i < 3; i++)
        {
            failures.Add((await Assert.ThrowsAsync<McpProtocolException>(() => client.ReadResourceAsync(Readme).AsTask()))!);
        }

        var open = CircuitOf(gateway);
        var seenBefore = Seen(upstream);
        await upstream.StartAgainAsync();
        var refused = await Assert.ThrowsAsync<McpProtocolException>(() => client.ReadResourceAsync(Readme).AsTask());
        var prompt = await Assert.ThrowsAsync<McpProtocolException>(() => client.GetPromptAsync("up__greet", new Dictionary<string, object?> { ["name"] = "Ada" }).AsTask());
        var tool = await client.CallToolAsync("up__echo", new Dictionary<string, object?> { ["text"] = "refused too" });

        Assert.Multiple(() =>
        {
            Assert.That(((TextResourceContents)first.Contents.Single()).Text, Is.EqualTo("csharp: readme"));
            Assert.That(failures.Select(f => f.Message), Has.All.Contain("BackendUnavailable: resource 'mcp-gateway://up/test://doc/readme' could not reach upstream MCP server 'up'"));
            Assert.That(open, Is.EqualTo(CircuitStateCode.Open), "the killed upstream's failed reads count against the breaker");
            Assert.That((int)refused!.ErrorCode, Is.EqualTo(-32000));
            Assert.That(refused.Message, Does.Contain("BackendUnavailable: the circuit breaker for cluster 'up-cluster' is open after repeated failures; next probe in"));
            Assert.That(prompt!.Message, Does.Contain("BackendUnavailable: the circuit breaker for cluster 'up-cluster' is open"));
            Assert.That(((TextContentBlock)tool.Content[0]).Text, Does.StartWith("BackendUnavailable: the circuit breaker for cluster 'up-cluster' is open"), "one breaker for the upstream's tools and resources");
            Assert.That(Seen(upstream), Is.EqualTo(seenBefore), "the restarted upstream saw nothing while the circuit was open");
        });
    }

    [Test]
    public async Task ReadOfAKilledUpstream_IsRetriedAsRetrySafe_EachAttemptCountingAgainstTheBreaker()
    {
        await using var upstream = await CSharpUpstream.StartAsync();
        await using var gateway = await StartAsync(upstream, new Dictionary<string, string?>(FederatedRoutes.BreakerAfterFourCalls())
        {
            ["Gateway:Resilience:Retry:MaxRetries"] = "3",
            ["Gateway:Resilience:Retry:BaseDelay"] = "00:00:00.010",
        });
        await using var client = await ConnectAsync(gateway);

        await upstream.StopAsync();
        var failed = await Assert.ThrowsAsync<McpProtocolException>(() => client.ReadResourceAsync(Readme).AsTask());

        Assert.Multiple(() =>
        {
            Assert.That(failed!.Message, Does.Contain("BackendUnavailable: resource 'mcp-gateway://up/test://doc/readme' could not reach upstream MCP server 'up'"));
            // One read, four attempts (three retries of a connection failure): the breaker's minimum throughput of 4, all failures.
            Assert.That(CircuitOf(gateway), Is.EqualTo(CircuitStateCode.Open));
        });
    }

    [Test]
    public async Task ReadOverTheClusterConcurrencyLimit_IsRefusedWithBackendBusy_LikeAToolCall()
    {
        await using var upstream = await CSharpUpstream.StartAsync();
        await using var gateway = await StartAsync(upstream, new Dictionary<string, string?>(FederatedRoutes.BreakerAfterFourCalls()) { ["Gateway:Resilience:MaxConcurrentRequestsPerCluster"] = "1" });
        await using var client = await ConnectAsync(gateway);

        var slow = client.CallToolAsync("up__slow", new Dictionary<string, object?> { ["ms"] = 1500 }).AsTask();
        await GatewayProbe.EventuallyAsync(() => Task.FromResult(upstream.Count("tools/call") == 1), "the slow call reached the upstream");
        var busy = await Assert.ThrowsAsync<McpProtocolException>(() => client.ReadResourceAsync(Readme).AsTask());
        var completion = await Assert.ThrowsAsync<McpProtocolException>(() => client.CompleteAsync(new PromptReference { Name = "up__greet" }, "name", "A").AsTask());
        await slow;
        var afterwards = await client.ReadResourceAsync(Readme);

        Assert.Multiple(() =>
        {
            Assert.That((int)busy!.ErrorCode, Is.EqualTo(-32000));
            Assert.That(busy.Message, Does.Contain("BackendBusy: cluster 'up-cluster' already has 1 calls in flight, its concurrency limit; retry shortly."));
            Assert.That(completion!.Message, Does.Contain("BackendBusy: cluster 'up-cluster'"));
            Assert.That(upstream.Count("resources/read"), Is.EqualTo(1), "only the read after the slow call reached the upstream");
            Assert.That(((TextResourceContents)afterwards.Contents.Single()).Text, Is.EqualTo("csharp: readme"));
        });
    }

    [Test]
    public async Task UnknownUrisAndPrompts_AreCallerMistakes_AndDoNotOpenTheBreaker()
    {
        await using var upstream = await CSharpUpstream.StartAsync();
        await using var gateway = await StartAsync(upstream, FederatedRoutes.BreakerAfterFourCalls());
        await using var client = await ConnectAsync(gateway);

        var answers = new List<McpProtocolException>();
        for (var i = 0; i < 6; i++)
        {
            // The upstream answers -32602 for a URI it does not have; the gateway itself refuses an unknown prompt.
            answers.Add((await Assert.ThrowsAsync<McpProtocolException>(() => client.ReadResourceAsync($"mcp-gateway://up/other://nothing/{i}").AsTask()))!);
            answers.Add((await Assert.ThrowsAsync<McpProtocolException>(() => client.GetPromptAsync("up__nope").AsTask()))!);
        }

        var after = await client.ReadResourceAsync(Readme);

        Assert.Multiple(() =>
        {
            Assert.That(answers.Select(a => a.ErrorCode), Has.All.EqualTo(McpErrorCode.InvalidParams));
            Assert.That(answers[0].Message, Does.Contain("upstream MCP server 'up' answered resource 'mcp-gateway://up/other://nothing/0' with error -32602"));
            Assert.That(CircuitOf(gateway), Is.EqualTo(CircuitStateCode.Closed));
            Assert.That(((TextResourceContents)after.Contents.Single()).Text, Is.EqualTo("csharp: readme"));
        });
    }

    private static int Seen(CSharpUpstream upstream) => upstream.Count("resources/read") + upstream.Count("prompts/get") + upstream.Count("tools/call");

    private static async Task<TestGateway> StartAsync(CSharpUpstream upstream, Dictionary<string, string?> settings)
    {
        var gateway = await TestGateway.StartAsync(FederatedRoutes.With(new RoutesJson(), ("up", upstream.Address, "{}")), settings);
        await FederatedRoutes.WaitForToolAsync(gateway.Services, "up__echo");
        var catalog = gateway.Services.GetRequiredService<FederatedPrimitiveCatalog>();
        await GatewayProbe.EventuallyAsync(() => Task.FromResult(catalog.Current.PromptsByName.ContainsKey("up__greet")), "the upstream's prompt is listed");
        return gateway;
    }

    private static Task<McpClient> ConnectAsync(TestGateway gateway) => McpClient.CreateAsync(
        new HttpClientTransport(new HttpClientTransportOptions { Endpoint = gateway.McpEndpoint, TransportMode = HttpTransportMode.StreamableHttp }, loggerFactory: null),
        new McpClientOptions { ProtocolVersion = "2025-11-25" });

    private static CircuitStateCode CircuitOf(TestGateway gateway) =>
        gateway.Services.GetRequiredService<ClusterResilienceRegistry>().TryGet("up-cluster", out var state) ? state.CircuitState : CircuitStateCode.Closed;
}
