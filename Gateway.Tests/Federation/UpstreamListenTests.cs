using Gateway.Proxy.Federation.Resources;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Resilience;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Gateway.Tests.Federation;

/// <summary>
/// Resource subscriptions of an upstream that speaks only 2026-07-28 (no session, no <c>resources/subscribe</c>): the
/// gateway holds one <c>subscriptions/listen</c> request there for every URI its clients subscribe to.
/// </summary>
[NonParallelizable]
public sealed class UpstreamListenTests
{
    private const string Readme = "mcp-gateway://up/test://doc/readme";
    private const string Two = "mcp-gateway://up/test://doc/two";

    [Test]
    public async Task SessionlessOnlyUpstream_SubscriptionsGoThroughOneUpstreamListen_ReplacedAsTheSetChanges_AndEndedWithTheLast()
    {
        await using var upstream = await CSharpUpstream.StartSessionlessOnlyAsync();
        await using var gateway = await StartStatefulAsync(upstream);
        await using var client = await ConnectAsync(gateway);
        var updates = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var watch = client.RegisterNotificationHandler(NotificationMethods.ResourceUpdatedNotification, (notification, _) =>
        {
            updates.Enqueue((string)notification.Params!["uri"]!);
            return default;
        });

        await client.SubscribeToResourceAsync(Readme);
        await upstream.NotifyUpdatedAsync(CSharpUpstream.ReadmeUri);
        await GatewayProbe.EventuallyAsync(() => Task.FromResult(updates.Contains(Readme)), "the update comes through the upstream listen");
        await client.SubscribeToResourceAsync(Two);
        await upstream.NotifyUpdatedAsync("test://doc/two");
        await GatewayProbe.EventuallyAsync(() => Task.FromResult(updates.Contains(Two)), "the replacing listen carries the second URI");
        var whileBoth = upstream.SubscriptionRequests.ToArray();

        await client.UnsubscribeFromResourceAsync(Readme);
        await client.UnsubscribeFromResourceAsync(Two);
        await GatewayProbe.EventuallyAsync(() => Task.FromResult(upstream.OpenListens == 0), "the last unsubscribe ends the upstream listen");

        Assert.Multiple(() =>
        {
            Assert.That(whileBoth, Is.SupersetOf(new[] { "listen test://doc/readme", "listen test://doc/readme test://doc/two", "listen-end test://doc/readme" }));
            Assert.That(whileBoth.Where(r => r.StartsWith("subscribe", StringComparison.Ordinal)), Is.Empty, "no resources/subscribe at 2026-07-28");
            Assert.That(upstream.SubscriptionRequests, Does.Contain("listen test://doc/two"), "replaced by one for what is left");
            Assert.That(gateway.Services.GetRequiredService<ResourceSubscriptions>().SubscriberCount("up", CSharpUpstream.ReadmeUri), Is.Zero);
        });
    }

    [Test]
    public async Task SessionlessOnlyUpstream_ThatRestarts_GetsTheListenAgain_AndUpdatesFlowAgain()
    {
        await using var upstream = await CSharpUpstream.StartSessionlessOnlyAsync();
        await using var gateway = await StartStatefulAsync(upstream);
        await using var client = await ConnectAsync(gateway);
        var updates = 0;
        await using var watch = client.RegisterNotificationHandler(NotificationMethods.ResourceUpdatedNotification, (_, _) =>
        {
            Interlocked.Increment(ref updates);
            return default;
        });
        await client.SubscribeToResourceAsync(Readme);

        await upstream.StopAsync();
        await upstream.StartAgainAsync();
        await GatewayProbe.EventuallyAsync(() => Task.FromResult(upstream.OpenListens == 1), "the gateway listens again", TimeSpan.FromSeconds(20));
        await upstream.NotifyUpdatedAsync(CSharpUpstream.ReadmeUri);

        await GatewayProbe.EventuallyAsync(() => Task.FromResult(Volatile.Read(ref updates) == 1), "the update after the restart reaches the subscriber");
        Assert.That(upstream.SubscriptionRequests.Count(r => r == "listen test://doc/readme"), Is.EqualTo(2));
    }

    private static async Task<TestGateway> StartStatefulAsync(CSharpUpstream upstream)
    {
        var gateway = await TestGateway.StartAsync(FederatedRoutes.With(new RoutesJson(), ("up", upstream.Address, "{}")),
            new Dictionary<string, string?> { ["Gateway:Mcp:Stateful"] = "true" });
        await FederatedRoutes.WaitForToolAsync(gateway.Services, "up__echo");
        return gateway;
    }

    // A 2025-11-25 client: it subscribes with resources/subscribe on its session; the upstream behind is 2026-07-28 only.
    private static Task<McpClient> ConnectAsync(TestGateway gateway) => McpClient.CreateAsync(
        new HttpClientTransport(new HttpClientTransportOptions { Endpoint = gateway.McpEndpoint, TransportMode = HttpTransportMode.StreamableHttp }, loggerFactory: null),
        new McpClientOptions { ProtocolVersion = "2025-11-25" });
}
