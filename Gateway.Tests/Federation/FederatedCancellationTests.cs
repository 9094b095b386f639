using Gateway.Tests.Infrastructure;
using Gateway.Tests.Resilience;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Gateway.Tests.Federation;

/// <summary>
/// A client that gives up on a federated call: the upstream hears <c>notifications/cancelled</c> for its own request
/// and its tool's CancellationToken fires; an upstream that dies during a call ends it with a clean error.
/// </summary>
[NonParallelizable]
public sealed class FederatedCancellationTests
{
    private CSharpUpstream _upstream = null!;
    private TestGateway _stateless = null!;
    private TestGateway _stateful = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _upstream = await CSharpUpstream.StartAsync();
        var routes = FederatedRoutes.With(new RoutesJson(), ("up", _upstream.Address, "{}"));
        _stateless = await TestGateway.StartAsync(routes);
        _stateful = await TestGateway.StartAsync(routes, new Dictionary<string, string?> { ["Gateway:Mcp:Stateful"] = "true" });
        await FederatedRoutes.WaitForToolAsync(_stateless.Services, "up__slow");
        await FederatedRoutes.WaitForToolAsync(_stateful.Services, "up__slow");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _stateless.DisposeAsync();
        await _stateful.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task ClientCancellation_ReachesTheUpstreamAsItsOwnCancelledNotification(bool stateful)
    {
        await using var client = await ConnectAsync(stateful ? _stateful : _stateless);
        var cancelledBefore = _upstream.Cancelled.Count;
        var noticesBefore = _upstream.Count(NotificationMethods.CancelledNotification);
        var callsBefore = _upstream.Count(RequestMethods.ToolsCall);
        using var giveUp = new CancellationTokenSource();

        // Given up once the upstream has the call: a fixed delay raced a busy machine, the call then never reached it.
        var call = client.CallToolAsync("up__slow", new Dictionary<string, object?> { ["ms"] = 30_000 }, cancellationToken: giveUp.Token).AsTask();
        await GatewayProbe.EventuallyAsync(() => Task.FromResult(_upstream.Count(RequestMethods.ToolsCall) > callsBefore), "the call reached the upstream");
        await giveUp.CancelAsync();
        await Assert.CatchAsync<OperationCanceledException>(async () => await call);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((_upstream.Cancelled.Count == cancelledBefore || _upstream.Count(NotificationMethods.CancelledNotification) == noticesBefore) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(25);
        }

        Assert.Multiple(() =>
        {
            Assert.That(_upstream.Count(NotificationMethods.CancelledNotification), Is.GreaterThan(noticesBefore));
            Assert.That(_upstream.Cancelled.Count, Is.GreaterThan(cancelledBefore), "the upstream tool's CancellationToken did not fire");
        });
    }

    private static Task<McpClient> ConnectAsync(TestGateway gateway) =>
        McpClient.CreateAsync(
            new HttpClientTransport(new HttpClientTransportOptions { Endpoint = gateway.McpEndpoint }, loggerFactory: null),
            new McpClientOptions { ProtocolVersion = "2025-11-25" });
}
