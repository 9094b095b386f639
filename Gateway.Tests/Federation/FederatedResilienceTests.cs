using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gateway.Proxy.Observability.Metrics;
using Gateway.Proxy.Resilience;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Resilience;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace Gateway.Tests.Federation;

/// <summary>
/// Federated calls get the protections REST tool calls get from their route's YARP pipeline: the cluster's circuit
/// breaker (same CircuitOpen refusal), YARP's passive health, the result-size cap (same ResultTooLarge), and metrics
/// naming the server. Each test runs its own upstream and gateway, since breaker and health state are per cluster.
/// </summary>
public sealed class FederatedResilienceTests
{
    [Test]
    public async Task UpstreamDown_OpensTheBreaker_AndFurtherCallsGetTheCircuitOpenRefusalRestToolsGet()
    {
        await using var upstream = await CSharpUpstream.StartAsync();
        var dead = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        await using var gateway = await TestGateway.StartAsync(
            FederatedRoutes.With(new RoutesJson().Cluster("dead", dead).Tool("rest_dead", "dead", "POST /x"), ("up", upstream.Address, "{}")), FederatedRoutes.BreakerAfterFourCalls());
        await FederatedRoutes.WaitForToolAsync(gateway.Services, "up__echo");
        await using var client = await ConnectAsync(gateway);
        using var http = new HttpClient { BaseAddress = gateway.Address };

        var first = await client.CallToolAsync("up__echo", Text("before"));
        await upstream.StopAsync();
        var callsBefore = upstream.Count("tools/call");

        // With the first call's success, three failures make the minimum throughput of 4 at a failure ratio over 0.5.
        var failures = new List<CallToolResult>();
        for (var i = 0; i < 3; i++)
        {
            failures.Add(await client.CallToolAsync("up__echo", Text("down")));
        }

        for (var i = 0; i < 4; i++)
        {
            await client.CallToolAsync("rest_dead");
        }

        var upstreamRefused = await client.CallToolAsync("up__echo", Text("refused"));
        var restRefused = await client.CallToolAsync("rest_dead");
        await upstream.StartAgainAsync();
        var whileOpen = await client.CallToolAsync("up__echo", Text("still refused"));
        using var facade = await http.PostAsJsonAsync("tools/call", new { server = "up", tool = "echo", arguments = new { text = "facade" } });
        var facadeBody = JsonNode.Parse(await facade.Content.ReadAsStringAsync())!;

        Assert.Multiple(() =>
        {
            Assert.That(TextOf(first), Is.EqualTo("echo: before"));
            Assert.That(failures.Select(TextOf), Has.All.StartWith("BackendUnavailable: tool 'up__echo' could not reach upstream MCP server 'up'"));
            Assert.That(CircuitOf(gateway, "up-cluster"), Is.EqualTo(CircuitStateCode.Open));
            Assert.That(upstreamRefused.IsError, Is.True);
            Assert.That(TextOf(upstreamRefused), Does.StartWith("BackendUnavailable: the circuit breaker for cluster 'up-cluster' is open"));
            Assert.That(Masked(TextOf(upstreamRefused), "up-cluster"), Is.EqualTo(Masked(TextOf(restRefused), "dead")), "the same refusal as a REST tool's");
            Assert.That((string?)upstreamRefused.Meta?["mcp-gateway/error"]?["cluster"], Is.EqualTo("up-cluster"));
            Assert.That(TextOf(whileOpen), Does.StartWith("BackendUnavailable: the circuit breaker for cluster 'up-cluster' is open"));
            Assert.That(upstream.Count("tools/call"), Is.EqualTo(callsBefore), "the restarted upstream saw no call while the circuit was open");
            Assert.That(facade.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(facade.Headers.RetryAfter, Is.Not.Null);
            Assert.That((string?)facadeBody["error"], Is.EqualTo("BackendUnavailable"));
        });
    }

    [Test]
    public async Task CallsOverTheClusterConcurrencyLimit_AreRefusedWithBackendBusy_LikeRestCalls()
    {
        await using var upstream = await CSharpUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(FederatedRoutes.With(new RoutesJson(), ("up", upstream.Address, "{}")),
            new Dictionary<string, string?>(FederatedRoutes.BreakerAfterFourCalls()) { ["Gateway:Resilience:MaxConcurrentRequestsPerCluster"] = "1" });
        await FederatedRoutes.WaitForToolAsync(gateway.Services, "up__slow");
        await using var client = await ConnectAsync(gateway);

        var slow = client.CallToolAsync("up__slow", new Dictionary<string, object?> { ["ms"] = 1500 }).AsTask();
        await GatewayProbe.EventuallyAsync(() => Task.FromResult(upstream.Count("tools/call") == 1), "the slow call reached the upstream");
        var refused = await client.CallToolAsync("up__echo", Text("second"));
        var first = await slow;
        var afterwards = await client.CallToolAsync("up__echo", Text("third"));

        Assert.Multiple(() =>
        {
            Assert.That(TextOf(first), Is.EqualTo("slept"));
            Assert.That(refused.IsError, Is.True);
            Assert.That(TextOf(refused), Is.EqualTo("BackendBusy: cluster 'up-cluster' already has 1 calls in flight, its concurrency limit; retry shortly."));
            Assert.That(TextOf(afterwards), Is.EqualTo("echo: third"));
        });
    }

    [Test]
    public async Task UpstreamIsErrorResults_AndCallerErrors_DoNotOpenTheBreaker()
    {
        await using var upstream = await CSharpUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(FederatedRoutes.With(new RoutesJson(), ("up", upstream.Address, "{}")), FederatedRoutes.BreakerAfterFourCalls());
        await FederatedRoutes.WaitForToolAsync(gateway.Services, "up__fails");
        await using var client = await ConnectAsync(gateway);

        for (var i = 0; i < 8; i++)
        {
            await client.CallToolAsync("up__fails");
            await client.CallToolAsync("up__echo", new Dictionary<string, object?> { ["text"] = 5 });
        }

        var after = await client.CallToolAsync("up__echo", Text("still closed"));

        Assert.Multiple(() =>
        {
            Assert.That(CircuitOf(gateway, "up-cluster"), Is.EqualTo(CircuitStateCode.Closed));
            Assert.That(TextOf(after), Is.EqualTo("echo: still closed"));
            Assert.That(upstream.Count("tools/call"), Is.EqualTo(9), "the isError calls and the last one reached the upstream; the schema refusals did not");
        });
    }

    [Test]
    public async Task UpstreamDown_FeedsYarpPassiveHealth_AndTheDestinationLeavesTheAvailableSet()
    {
        await using var upstream = await CSharpUpstream.StartAsync();
        var routes = JsonNode.Parse(FederatedRoutes.With(new RoutesJson(), ("up", upstream.Address, "{}")))!;
        var cluster = routes["ReverseProxy"]!["Clusters"]!["up-cluster"]!.AsObject();
        cluster["HealthCheck"] = JsonNode.Parse("""{ "Passive": { "Enabled": true, "Policy": "TransportFailureRate", "ReactivationPeriod": "00:05:00" } }""");
        cluster["Metadata"] = JsonNode.Parse("""{ "TransportFailureRateHealthPolicy.RateLimit": "0.3" }""");
        await using var gateway = await TestGateway.StartAsync(routes.ToJsonString(), new Dictionary<string, string?>(FederatedRoutes.BreakerAfterFourCalls())
        {
            ["Gateway:Resilience:CircuitBreaker:Enabled"] = "false",
        });
        await FederatedRoutes.WaitForToolAsync(gateway.Services, "up__echo");
        await using var client = await ConnectAsync(gateway);
        var state = gateway.Services.GetRequiredService<IProxyStateLookup>();
        Assert.That(Destination(state).Health.Passive, Is.Not.EqualTo(DestinationHealth.Unhealthy), "healthy while it answers");

        await upstream.StopAsync();
        for (var i = 0; i < 12 && Destination(state).Health.Passive != DestinationHealth.Unhealthy; i++)
        {
            await client.CallToolAsync("up__echo", Text("down"));
        }

        var next = await client.CallToolAsync("up__echo", Text("no destination"));

        Assert.Multiple(() =>
        {
            Assert.That(Destination(state).Health.Passive, Is.EqualTo(DestinationHealth.Unhealthy));
            // A count, not the list: a DestinationState is itself a list of one, which NUnit cannot print.
            Assert.That(state.TryGetCluster("up-cluster", out var c) ? c.DestinationsState.AvailableDestinations.Count : -1, Is.Zero,
                "the destination left the available set");
            Assert.That(TextOf(next), Does.Contain("available"), "the next call is not sent to the dead destination");
            Assert.That(gateway.Services.GetRequiredService<ClusterAvailability>().IsAvailable("up-cluster"), Is.False,
                "the cluster counts as down, like a REST cluster whose destinations failed");
        });
    }

    [Test]
    public async Task ResultOverTheCap_IsResultTooLarge_OnMcpAndTheFacade_AuditedAsSuch_AndTheSessionStays()
    {
        await using var upstream = await CSharpUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(FederatedRoutes.With(new RoutesJson(), ("up", upstream.Address,
            """{ "Tools": { "big": { "Metadata": { "Gateway.MaxResultBytes": "2000" } } } }""")));
        await FederatedRoutes.WaitForToolAsync(gateway.Services, "up__big");
        await using var client = await ConnectAsync(gateway);
        using var http = new HttpClient { BaseAddress = gateway.Address };

        var small = await client.CallToolAsync("up__big", Bytes(100));
        var large = await client.CallToolAsync("up__big", Bytes(50_000));
        using var facade = await http.PostAsJsonAsync("tools/call", new { server = "up", tool = "big", arguments = new { bytes = 50_000 } });
        var facadeBody = JsonNode.Parse(await facade.Content.ReadAsStringAsync())!;
        var again = await client.CallToolAsync("up__big", Bytes(100));
        var audit = Path.Combine(gateway.Directory, "logs", "audit.jsonl");

        Assert.Multiple(async () =>
        {
            Assert.That(TextOf(small), Has.Length.EqualTo(100));
            Assert.That(large.IsError, Is.True);
            Assert.That(TextOf(large), Does.StartWith("ResultTooLarge: the answer of tool 'up__big' is more than 2000 bytes"));
            Assert.That(TextOf(large), Does.Not.Contain("xxxx"), "no part of the answer is passed on");
            Assert.That((long?)large.Meta?["mcp-gateway/error"]?["limit_bytes"], Is.EqualTo(2000));
            Assert.That(facade.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
            Assert.That((string?)facadeBody["error"], Is.EqualTo("ResultTooLarge"));
            Assert.That((long?)facadeBody["data"]?["limit_bytes"], Is.EqualTo(2000));
            Assert.That(TextOf(again), Has.Length.EqualTo(100));
            Assert.That(upstream.Count("initialize"), Is.EqualTo(1), "an oversized answer does not cost the upstream session");
            await GatewayProbe.EventuallyAsync(async () => (await AuditLines.ReadAllAsync(audit))
                .Select(l => JsonNode.Parse(l)!)
                .Any(e => (string?)e["tool"] == "up__big" && (string?)e["error"] == "ResultTooLarge" && (string?)e["server"] == "up"), "the audit line names ResultTooLarge");
        });
    }

    [Test]
    public async Task Metrics_NameTheServerOfFederatedTools_AndRestToolsKeepTheirLabels_PromtoolClean()
    {
        await using var rest = await TestBackend.StartEchoAsync();
        await using var upstream = await CSharpUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(
            FederatedRoutes.With(new RoutesJson().Cluster("rest", rest.Address).Tool("rest_echo", "rest", "POST /echo"), ("up", upstream.Address, "{}")));
        await FederatedRoutes.WaitForToolAsync(gateway.Services, "up__echo");
        await using var client = await ConnectAsync(gateway);
        using var http = new HttpClient { BaseAddress = gateway.Address };

        var seeded = await http.GetStringAsync("metrics");
        await client.CallToolAsync("up__echo", Text("counted"));
        await client.CallToolAsync("up__fails");
        await client.CallToolAsync("rest_echo");
        var text = await http.GetStringAsync("metrics");
        var lines = text.Split('\n');

        Assert.Multiple(() =>
        {
            Assert.That(seeded, Does.Contain("""mcp_requests_total{server="up",status="error",tool="up__echo"} 0"""), "seeded at 0 with the labels real calls get");
            Assert.That(lines, Has.One.Matches<string>(l => l!.StartsWith("""mcp_requests_total{server="up",status="ok",tool="up__echo"} 1""", StringComparison.Ordinal)));
            Assert.That(lines, Has.One.Matches<string>(l => l!.StartsWith("""mcp_requests_total{server="up",status="error",tool="up__fails"} 1""", StringComparison.Ordinal)));
            Assert.That(lines, Has.One.Matches<string>(l => l!.StartsWith("""mcp_tool_calls_total{server="up",tool_name="up__echo"} 1""", StringComparison.Ordinal)));
            Assert.That(lines, Has.Some.Matches<string>(l => l!.StartsWith("""mcp_request_duration_seconds_count{server="up",tool="up__echo"} 1""", StringComparison.Ordinal)));
            Assert.That(lines, Has.One.Matches<string>(l => l!.StartsWith("""mcp_requests_total{status="ok",tool="rest_echo"} 1""", StringComparison.Ordinal)), "REST tools have no server label");
            Assert.That(lines.Where(l => l.Contains("tool=\"up__echo\"") && !l.StartsWith('#')), Has.All.Contains("server=\"up\""), "no second, server-less series of a federated tool");
        });

        var (exitCode, output) = await Gateway.Tests.Observability.Metrics.Promtool.CheckMetricsAsync(text);
        Assert.That(exitCode, Is.Zero, output);
    }

    private static async Task<McpClient> ConnectAsync(TestGateway gateway) =>
        await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = gateway.McpEndpoint }, loggerFactory: null));

    private static DestinationState Destination(IProxyStateLookup state) =>
        state.TryGetCluster("up-cluster", out var cluster) ? cluster.DestinationsState.AllDestinations[0] : throw new AssertionException("no cluster");

    private static CircuitStateCode CircuitOf(TestGateway gateway, string cluster) =>
        gateway.Services.GetRequiredService<ClusterResilienceRegistry>().TryGet(cluster, out var state) ? state.CircuitState : CircuitStateCode.Closed;

    private static Dictionary<string, object?> Text(string text) => new() { ["text"] = text };

    private static Dictionary<string, object?> Bytes(int bytes) => new() { ["bytes"] = bytes };

    private static string TextOf(CallToolResult result) => ((TextContentBlock)result.Content[0]).Text;

    private static string Masked(string text, string cluster) =>
        System.Text.RegularExpressions.Regex.Replace(text.Replace(cluster, "<cluster>", StringComparison.Ordinal), @"\d+(\.\d+)? s", "<n> s");
}
