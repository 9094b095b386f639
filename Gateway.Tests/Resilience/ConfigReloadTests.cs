using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gateway.Proxy.Configuration;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Gateway.Tests.Resilience;

/// <summary>routes.json edits apply without a restart; bad edits are refused whole and the last good config keeps serving.</summary>
public sealed class ConfigReloadTests
{
    private FaultyBackend _backend = null!;

    [SetUp]
    public async Task StartBackendAsync() => _backend = await FaultyBackend.StartAsync("a");

    [TearDown]
    public async Task StopBackendAsync() => await _backend.DisposeAsync();

    [Test]
    public async Task Edit_AddsChangesAndRemovesToolsForNewRequests()
    {
        await using var other = await FaultyBackend.StartAsync("b");
        await using var gateway = await TestGateway.StartAsync(new RoutesJson()
            .Cluster("main", _backend.Address).Tool("kept", "main", "POST /kept").Tool("dropped", "main", "POST /dropped").ToString());
        using var http = new HttpClient { BaseAddress = gateway.Address };

        await GatewayProbe.WriteAtomicallyAsync(gateway.RoutesPath, new RoutesJson()
            .Cluster("main", other.Address).Tool("kept", "main", "POST /kept").Tool("added", "main", "POST /added").ToString());
        await GatewayProbe.EventuallyAsync(async () => (await ToolNamesAsync(http)).Contains("added"), "the new tool is listed");

        Assert.That(await ToolNamesAsync(http), Is.EquivalentTo(new[] { "added", "kept" }));
        Assert.That((await GatewayProbe.CallToolTextAsync(http, "kept")).Text, Does.Contain("\"backend\":\"b\""), "the changed destination serves");
        Assert.That((await GatewayProbe.CallToolTextAsync(http, "added")).Status, Is.EqualTo(200));
        Assert.That((await GatewayProbe.CallToolTextAsync(http, "dropped")).Error, Is.EqualTo("ToolNotFound"));
    }

    [Test]
    public async Task InvalidEdit_KeepsLastGoodConfig_LogsEveryErrorWithItsRoute_AndCountsTheFailure()
    {
        var logs = new RecordingLoggerProvider();
        await using var gateway = await TestGateway.StartAsync(
            new RoutesJson().Cluster("main", _backend.Address).Tool("tool", "main", "POST /work").ToString(),
            configure: builder => builder.Logging.AddProvider(logs));
        using var http = new HttpClient { BaseAddress = gateway.Address };

        await GatewayProbe.WriteAtomicallyAsync(gateway.RoutesPath, new RoutesJson()
            .Cluster("main", _backend.Address)
            .Tool("tool", "main", "POST /work", routeExtras: """{"Metadata":{"Gateway.Timeout":"soon"}}""")
            .Tool("orphan", "nowhere", "POST /work").ToString());
        await GatewayProbe.EventuallyAsync(async () => await FailedReloadsAsync(http) == 1, "the failed reload is counted");

        var errors = logs.Records.Entries.Where(e => e.EventId.Id == 102).Select(e => e.Message).ToArray();
        Assert.That(errors, Has.Some.Contains("Route 'tool'").And.Some.Contains("Gateway.Timeout"));
        Assert.That(errors, Has.Some.Contains("Route 'orphan'").And.Some.Contains("nowhere"));
        Assert.That(await ToolNamesAsync(http), Is.EquivalentTo(new[] { "tool" }));
        Assert.That((await GatewayProbe.CallToolTextAsync(http, "tool")).Status, Is.EqualTo(200));

        await GatewayProbe.WriteAtomicallyAsync(gateway.RoutesPath, new RoutesJson().Cluster("main", _backend.Address).Tool("tool", "main", "POST /work").Tool("second", "main", "POST /two").ToString());
        await GatewayProbe.EventuallyAsync(async () => (await ToolNamesAsync(http)).Contains("second"), "a fixed file applies");
        Assert.That(await GatewayProbe.ScrapeAsync(http, """mcp_config_reloads_total{result="success"}"""), Is.EqualTo(1));
    }

    [Test]
    public async Task InvalidFirstConfig_StopsStartupListingEveryError()
    {
        var routes = new RoutesJson()
            .Cluster("main", _backend.Address)
            .Tool("tool", "main", "POST /work", routeExtras: """{"Timeout":"00:00:05","Metadata":{"Gateway.Timeout":"00:00:05"}}""")
            .Tool("orphan", "nowhere", "POST /work")
            .ClusterRaw("tight", $$$"""{"Destinations":{"d":{"Address":"{{{_backend.Address}}}"}},"Metadata":{"Gateway.MaxConcurrentRequests":"0"}}""");

        var failure = await Assert.ThrowsAsync<RoutesConfigException>(() => TestGateway.StartAsync(routes.ToString()));

        Assert.That(failure!.Errors, Has.Count.GreaterThanOrEqualTo(3), string.Join("\n", failure.Errors));
        Assert.That(failure.Errors, Has.Some.StartsWith("Route 'tool'").And.Contains("not both"));
        Assert.That(failure.Errors, Has.Some.StartsWith("Route 'orphan'"));
        Assert.That(failure.Errors, Has.Some.StartsWith("Cluster 'tight'").And.Contains("Gateway.MaxConcurrentRequests"));
        Assert.That(failure.Message, Does.Contain("Route 'orphan'").And.Contain("Cluster 'tight'"));
    }

    [Test]
    public async Task InFlightCall_FinishesOnItsConfig_WhenItsToolAndClusterAreRemoved()
    {
        await using var other = await FaultyBackend.StartAsync("b");
        await using var gateway = await TestGateway.StartAsync(new RoutesJson()
            .Cluster("main", _backend.Address).Cluster("spare", other.Address)
            .Tool("tool", "main", "POST /work").Tool("spare_tool", "spare", "POST /work").ToString());
        using var http = new HttpClient { BaseAddress = gateway.Address, Timeout = TimeSpan.FromSeconds(20) };
        _backend.Hold();
        var inFlight = GatewayProbe.CallToolTextAsync(http, "tool");
        await _backend.WaitForInFlightAsync(1);

        await GatewayProbe.WriteAtomicallyAsync(gateway.RoutesPath, new RoutesJson().Cluster("spare", other.Address).Tool("spare_tool", "spare", "POST /work").ToString());
        await GatewayProbe.EventuallyAsync(async () => !(await ToolNamesAsync(http)).Contains("tool"), "the tool is removed");
        _backend.Release();
        var (status, _, text) = await inFlight;

        Assert.That(status, Is.EqualTo(200), text);
        Assert.That(text, Does.Contain("\"backend\":\"a\""));
    }

    [Test]
    public async Task StatefulSession_ReceivesToolsListChanged_AndSeesTheNewTool()
    {
        await using var gateway = await TestGateway.StartAsync(
            new RoutesJson().Cluster("main", _backend.Address).Tool("tool", "main", "POST /work").ToString(),
            new Dictionary<string, string?> { ["Gateway:Mcp:Stateful"] = "true" });
        var transport = new HttpClientTransport(new HttpClientTransportOptions { Endpoint = gateway.McpEndpoint, TransportMode = HttpTransportMode.StreamableHttp });
        // 2026-07-28 clients are served statelessly; sessions (and their notification stream) need an earlier version.
        await using var client = await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = "2025-11-25" });
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = client.RegisterNotificationHandler(NotificationMethods.ToolListChangedNotification, (_, _) =>
        {
            changed.TrySetResult();
            return default;
        });
        Assert.That((await client.ListToolsAsync()).Select(t => t.Name), Is.EquivalentTo(new[] { "tool" }));

        await GatewayProbe.WriteAtomicallyAsync(gateway.RoutesPath, new RoutesJson().Cluster("main", _backend.Address).Tool("tool", "main", "POST /work").Tool("fresh", "main", "POST /fresh").ToString());
        await changed.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That((await client.ListToolsAsync()).Select(t => t.Name), Is.EquivalentTo(new[] { "fresh", "tool" }));
    }

    internal static async Task<string[]> ToolNamesAsync(HttpClient http)
    {
        var list = await http.GetFromJsonAsync<JsonObject>("tools");
        return list!["tools"]!.AsArray().Select(t => (string)t!["name"]!).ToArray();
    }

    private static Task<double> FailedReloadsAsync(HttpClient http) => GatewayProbe.ScrapeAsync(http, """mcp_config_reloads_total{result="failure"}""");
}
