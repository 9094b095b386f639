using System.Collections.Concurrent;
using Gateway.Proxy.Federation.Resources;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Resilience;
using Gateway.Tests.Security;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Gateway.Tests.Federation;

/// <summary>
/// Resource subscriptions to an upstream with <c>"SessionScope": "Principal"</c> (stateful gateway, JWT principals):
/// made on each principal's own upstream session with its identity, counted per principal, and an update the upstream
/// sends on one principal's session reaches only that principal's subscribed sessions.
/// </summary>
public sealed class PrincipalSubscriptionTests
{
    private const string Readme = "mcp-gateway://up/" + CSharpUpstream.ReadmeUri;

    [Test]
    public async Task PrincipalScope_SubscriptionsAreMadeOnEachPrincipalsOwnSession_AndUpdatesReachOnlyThatPrincipal()
    {
        await using var upstream = await CSharpUpstream.StartAsync();
        await using var secured = await StartPrincipalScopedAsync(upstream);
        var updates = new ConcurrentQueue<string>();
        await using var alice1 = await ConnectAsync(secured, "alice", "alice-1", updates);
        await using var alice2 = await ConnectAsync(secured, "alice", "alice-2", updates);
        await using var bob = await ConnectAsync(secured, "bob", "bob", updates);

        await alice1.SubscribeToResourceAsync(Readme);
        await alice2.SubscribeToResourceAsync(Readme);
        await bob.SubscribeToResourceAsync(Readme);
        var subscribed = upstream.Requests.Where(r => r.Method == "resources/subscribe")
            .Select(r => (Subject: r.Headers.GetValueOrDefault("X-Gateway-Subject"), Session: r.Headers.GetValueOrDefault("Mcp-Session-Id"))).ToList();
        var aliceSession = subscribed.FirstOrDefault(s => s.Subject == "alice").Session;
        await upstream.NotifyUpdatedAsync(CSharpUpstream.ReadmeUri, aliceSession ?? "none");
        await GatewayProbe.EventuallyAsync(() => Task.FromResult(updates.Count >= 2), "alice's sessions hear her session's update");
        await Task.Delay(300);

        Assert.Multiple(() =>
        {
            Assert.That(subscribed.Select(s => s.Subject), Is.EquivalentTo(new[] { "alice", "bob" }), "one upstream subscription per principal, with its identity");
            Assert.That(subscribed.Select(s => s.Session).Distinct().Count(), Is.EqualTo(2), "each on its principal's own upstream session");
            Assert.That(updates.Order(), Is.EqualTo(new[] { "alice-1 " + Readme, "alice-2 " + Readme }), "only alice's sessions hear it");
            Assert.That(secured.Gateway.Services.GetRequiredService<ResourceSubscriptions>().SubscriberCount("up", CSharpUpstream.ReadmeUri), Is.EqualTo(3));
        });
    }

    [Test]
    public async Task PrincipalScope_ThePrincipalsLastSessionToLeave_UnsubscribesOnItsOwnUpstreamSession()
    {
        await using var upstream = await CSharpUpstream.StartAsync();
        await using var secured = await StartPrincipalScopedAsync(upstream);
        var updates = new ConcurrentQueue<string>();
        await using var alice1 = await ConnectAsync(secured, "alice", "alice-1", updates);
        var alice2 = await ConnectAsync(secured, "alice", "alice-2", updates);
        await using var bob = await ConnectAsync(secured, "bob", "bob", updates);
        await alice1.SubscribeToResourceAsync(Readme);
        await alice2.SubscribeToResourceAsync(Readme);
        await bob.SubscribeToResourceAsync(Readme);

        await alice1.UnsubscribeFromResourceAsync(Readme);
        var afterFirst = upstream.Count("resources/unsubscribe");
        await alice2.DisposeAsync();
        await GatewayProbe.EventuallyAsync(() => Task.FromResult(upstream.Count("resources/unsubscribe") == 1), "alice's last session's end unsubscribes upstream");
        var unsubscribed = upstream.Requests.Single(r => r.Method == "resources/unsubscribe").Headers.GetValueOrDefault("Mcp-Session-Id");
        var subscribed = upstream.Requests.Where(r => r.Method == "resources/subscribe").ToList();

        Assert.Multiple(() =>
        {
            Assert.That(afterFirst, Is.Zero, "alice's other session still wants it");
            Assert.That(unsubscribed, Is.EqualTo(subscribed.Single(r => r.Headers.GetValueOrDefault("X-Gateway-Subject") == "alice").Headers["Mcp-Session-Id"]),
                "on alice's own upstream session");
            Assert.That(secured.Gateway.Services.GetRequiredService<ResourceSubscriptions>().SubscriberCount("up", CSharpUpstream.ReadmeUri), Is.EqualTo(1), "bob's stays");
        });
    }

    [Test]
    public async Task PrincipalScope_Subscription_IsMadeAgain_WhenThePrincipalsSessionIsStartedAfreshAfterAnUpstreamRestart()
    {
        await using var upstream = await CSharpUpstream.StartAsync();
        await using var secured = await StartPrincipalScopedAsync(upstream);
        var updates = new ConcurrentQueue<string>();
        await using var alice = await ConnectAsync(secured, "alice", "alice", updates);
        await alice.SubscribeToResourceAsync(Readme);

        await upstream.StopAsync();
        upstream.Requests.Clear();
        await upstream.StartAgainAsync();
        await alice.CallToolAsync("up__echo", new Dictionary<string, object?> { ["text"] = "after the restart" });
        await GatewayProbe.EventuallyAsync(() => Task.FromResult(upstream.Count("resources/subscribe") == 1), "alice's new upstream session subscribes again");
        var session = upstream.Requests.Single(r => r.Method == "resources/subscribe").Headers["Mcp-Session-Id"];
        await upstream.NotifyUpdatedAsync(CSharpUpstream.ReadmeUri, session);

        await GatewayProbe.EventuallyAsync(() => Task.FromResult(updates.Contains("alice " + Readme)), "the update on the new session reaches alice");
    }

    [Test]
    public async Task PrincipalScope_Subscription_OutlivesAReloadThatChangesTheUpstreamsEntry_OnThePrincipalsNewSession()
    {
        await using var upstream = await CSharpUpstream.StartAsync();
        await using var secured = await StartPrincipalScopedAsync(upstream);
        var updates = new ConcurrentQueue<string>();
        await using var alice = await ConnectAsync(secured, "alice", "alice", updates);
        await using var bob = await ConnectAsync(secured, "bob", "bob", updates);
        await alice.SubscribeToResourceAsync(Readme);
        var before = upstream.Requests.Single(r => r.Method == "resources/subscribe").Headers["Mcp-Session-Id"];

        await GatewayProbe.WriteAtomicallyAsync(secured.Gateway.RoutesPath, FederatedRoutes.With(new RoutesJson().Cluster("echo", secured.Echo.Address),
            ("up", upstream.Address, """{ "SessionScope": "Principal", "Tools": { "echo": { "Title": "Echo after the reload" } } }""")));
        await GatewayProbe.EventuallyAsync(() => Task.FromResult(upstream.Count("resources/subscribe") == 2), "alice's new upstream session subscribes again");
        var after = upstream.Requests.Last(r => r.Method == "resources/subscribe").Headers["Mcp-Session-Id"];
        await upstream.NotifyUpdatedAsync(CSharpUpstream.ReadmeUri, after);
        await GatewayProbe.EventuallyAsync(() => Task.FromResult(updates.Contains("alice " + Readme)), "the update on alice's new session reaches her");
        await alice.CallToolAsync("up__echo", new Dictionary<string, object?> { ["text"] = "after the reload" });
        var aliceCalls = upstream.Requests.Last(r => r.Method == "tools/call").Headers["Mcp-Session-Id"];
        await Task.Delay(300);

        Assert.Multiple(() =>
        {
            Assert.That(after, Is.Not.EqualTo(before), "made on a new session for the new entry");
            Assert.That(after, Is.EqualTo(aliceCalls), "the session alice's calls use now, not the shared one");
            Assert.That(updates, Is.EqualTo(new[] { "alice " + Readme }), "bob, who did not subscribe, hears nothing");
        });
    }

    [Test]
    public async Task PrincipalScope_ASessionHoldingSubscriptions_IsNotClosedAsIdle()
    {
        await using var upstream = await CSharpUpstream.StartAsync();
        await using var secured = await StartPrincipalScopedAsync(upstream, ("Gateway:Federation:PrincipalSessionIdleTimeout", "00:00:01"));
        var updates = new ConcurrentQueue<string>();
        await using var alice = await ConnectAsync(secured, "alice", "alice", updates);
        await using var bob = await ConnectAsync(secured, "bob", "bob", updates);
        await alice.SubscribeToResourceAsync(Readme);
        await bob.CallToolAsync("up__echo", new Dictionary<string, object?> { ["text"] = "first" });
        var aliceSession = upstream.Requests.Single(r => r.Method == "resources/subscribe").Headers["Mcp-Session-Id"];

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        // Opening a session looks for idle ones: bob's idle one goes, alice's (subscribed) stays.
        await using var carol = await ConnectAsync(secured, "carol", "carol", updates);
        await carol.CallToolAsync("up__echo", new Dictionary<string, object?> { ["text"] = "sweep" });
        await upstream.NotifyUpdatedAsync(CSharpUpstream.ReadmeUri, aliceSession);

        await GatewayProbe.EventuallyAsync(() => Task.FromResult(updates.Contains("alice " + Readme)), "alice's session, kept, still relays her updates");
    }

    /// <summary>A stateful, authenticating gateway federating <paramref name="upstream"/> as 'up' with SessionScope Principal.</summary>
    private static async Task<SecuredGateway> StartPrincipalScopedAsync(CSharpUpstream upstream, params (string Key, string Value)[] settings)
    {
        var configuration = new Dictionary<string, string?> { ["Gateway:Mcp:Stateful"] = "true" };
        foreach (var (key, value) in settings)
        {
            configuration[key] = value;
        }

        var secured = await SecuredGateway.StartAsync(configuration,
            echo => FederatedRoutes.With(new RoutesJson().Cluster("echo", echo), ("up", upstream.Address, """{ "SessionScope": "Principal" }""")));
        try
        {
            await FederatedRoutes.WaitForToolAsync(secured.Gateway.Services, "up__echo");
            return secured;
        }
        catch
        {
            await secured.DisposeAsync();
            throw;
        }
    }

    private static async Task<McpClient> ConnectAsync(SecuredGateway secured, string subject, string name, ConcurrentQueue<string> updates)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = secured.Gateway.McpEndpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + secured.Token(subject: subject) },
        }, loggerFactory: null);
        // 2026-07-28 clients are served statelessly and replace resources/subscribe by subscriptions/listen.
        var client = await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = "2025-11-25" });
        client.RegisterNotificationHandler(NotificationMethods.ResourceUpdatedNotification, (notification, _) =>
        {
            updates.Enqueue(name + " " + (string)notification.Params!["uri"]!);
            return default;
        });
        return client;
    }
}
