using System.Diagnostics;
using System.Text.Json.Nodes;
using Gateway.Proxy.Federation.Resources;
using Gateway.Proxy.Mcp;
using Gateway.Tests.Federation;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Resilience;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Client;

namespace Gateway.Tests.Mcp;

/// <summary>
/// <c>subscriptions/listen</c> (2026-07-28) through the gateway, stateless (the default) and stateful (where 2026-07-28
/// requests are still served without a session): a raw listen request against a gateway federating a C# SDK upstream
/// whose <c>Resources</c> list excludes <c>test://doc/secret*</c>.
/// </summary>
[NonParallelizable]
public abstract class ListenStreamsTests
{
    protected const string Root = "mcp-gateway://a/";

    private readonly bool _stateful;
    private CSharpUpstream _a = null!;
    private TestGateway _gateway = null!;
    private HttpClient _http = null!;

    protected ListenStreamsTests(bool stateful) => _stateful = stateful;

    protected CSharpUpstream A => _a;

    protected TestGateway Gateway => _gateway;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _a = await CSharpUpstream.StartAsync(label: "alpha");
        _gateway = await TestGateway.StartAsync(
            FederatedRoutes.With(new RoutesJson(), ("a", _a.Address, """{"Resources":{"Exclude":["test://doc/secret*"]}}""")),
            new Dictionary<string, string?> { ["Gateway:Mcp:Stateful"] = _stateful ? "true" : "false" });
        await FederatedRoutes.WaitForToolAsync(_gateway.Services, "a__echo");
        _http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _gateway.DisposeAsync();
        await _a.DisposeAsync();
    }

    protected ResourceSubscriptions Subscriptions => _gateway.Services.GetRequiredService<ResourceSubscriptions>();

    protected Task<McpListen> ListenAsync(string notifications, int id = 1, string? requestId = null) =>
        McpListen.OpenAsync(_http, _gateway.McpEndpoint, notifications, id,
            requestId is null ? null : new Dictionary<string, string> { ["X-Request-ID"] = requestId });

    protected static string Uris(params string[] upstreamUris) =>
        new JsonArray(upstreamUris.Select(u => (JsonNode)JsonValue.Create(Root + u)!).ToArray()).ToJsonString();

    [Test]
    public async Task Listen_IsAcknowledgedWithWhatItAskedFor_ThenHearsUpdatesOfItsUriOnly()
    {
        await using var listen = await ListenAsync($$"""{"toolsListChanged":true,"resourceSubscriptions":{{Uris("test://doc/listened")}}}""", id: 41);

        var ack = await listen.NextAsync("notifications/subscriptions/acknowledged");
        await GatewayProbe.EventuallyAsync(() => Task.FromResult(_a.SubscriptionRequests.Contains("subscribe test://doc/listened")), "the gateway subscribes upstream");
        await _a.NotifyUpdatedAsync("test://doc/not-listened");
        await _a.NotifyUpdatedAsync("test://doc/listened");
        var updated = await listen.NextAsync("notifications/resources/updated");
        await Task.Delay(300);

        Assert.Multiple(() =>
        {
            Assert.That(listen.Status, Is.EqualTo(200));
            Assert.That(ack["params"]!["notifications"]!.ToJsonString(), Is.EqualTo($$"""{"toolsListChanged":true,"resourceSubscriptions":["{{Root}}test://doc/listened"]}"""),
                "granted: what was asked for");
            Assert.That((int)ack["params"]!["_meta"]!["io.modelcontextprotocol/subscriptionId"]!, Is.EqualTo(41));
            Assert.That((string?)updated["params"]!["uri"], Is.EqualTo(Root + "test://doc/listened"));
            Assert.That((int)updated["params"]!["_meta"]!["io.modelcontextprotocol/subscriptionId"]!, Is.EqualTo(41), "tagged with the listen request's id");
            Assert.That(listen.Received.Count(m => (string?)m["method"] == "notifications/resources/updated"), Is.EqualTo(1), "no update of a URI it did not ask for");
        });
    }

    [Test]
    public async Task Listen_HearsToolsListChanged_WhenTheUpstreamsToolListChanges_AndResourcesListChanged_OnlyIfAskedFor()
    {
        await using var listen = await ListenAsync("""{"toolsListChanged":true}""");
        await listen.NextAsync("notifications/subscriptions/acknowledged");

        _a.AddTool(_stateful ? "added_stateful" : "added_stateless");
        var changed = await listen.NextAsync("notifications/tools/list_changed");
        await _a.AddResourceAsync(_stateful ? "test://doc/added-stateful" : "test://doc/added-stateless");
        await GatewayProbe.EventuallyAsync(() => Task.FromResult(_gateway.Services.GetRequiredService<FederatedPrimitiveCatalog>().Current.Resources
            .Any(r => r.Listed.Uri.EndsWith(_stateful ? "added-stateful" : "added-stateless", StringComparison.Ordinal))), "the new resource is listed");
        await Task.Delay(300);

        Assert.Multiple(() =>
        {
            Assert.That(changed["params"]!["_meta"]!["io.modelcontextprotocol/subscriptionId"], Is.Not.Null);
            Assert.That(listen.Received.Select(m => (string?)m["method"]), Does.Not.Contain("notifications/resources/list_changed"), "not asked for, not sent");
        });
    }

    [Test]
    public async Task Listen_HearsResourcesListChanged_WhenTheUpstreamsResourceListChanges()
    {
        await using var listen = await ListenAsync("""{"resourcesListChanged":true}""");
        await listen.NextAsync("notifications/subscriptions/acknowledged");

        await _a.AddResourceAsync(_stateful ? "test://doc/more-stateful" : "test://doc/more-stateless");

        Assert.That((string?)(await listen.NextAsync("notifications/resources/list_changed"))["method"], Is.EqualTo("notifications/resources/list_changed"));
    }

    [Test]
    public async Task Listen_ToAUriTheResourcesListExcludes_IsRefusedLikeResourcesSubscribe_AuditedAndNeverSubscribedUpstream()
    {
        var requestId = "listen-refused-" + _stateful;
        await using var listen = await ListenAsync($$"""{"resourceSubscriptions":{{Uris("test://doc/allowed-first", "test://doc/./secret-plans")}}}""", requestId: requestId);

        var answer = await listen.NextAsync(m => m.ContainsKey("error") || m.ContainsKey("result"));
        await listen.Ended.WaitAsync(TimeSpan.FromSeconds(10));
        var audit = await AuditLines.WaitForAsync(Path.Combine(_gateway.Directory, "logs", "audit.jsonl"), requestId);

        Assert.Multiple(() =>
        {
            Assert.That((int?)answer["error"]?["code"], Is.EqualTo(-32602), answer.ToJsonString());
            Assert.That((string?)answer["error"]?["message"], Is.EqualTo(
                "Unknown resource 'mcp-gateway://a/test://doc/./secret-plans'. Call resources/list or resources/templates/list to see what is available to you."));
            Assert.That(listen.Received.Select(m => (string?)m["method"]), Does.Not.Contain("notifications/subscriptions/acknowledged"), "nothing acknowledged");
            Assert.That(_a.SubscriptionRequests.Where(r => r.Contains("secret", StringComparison.Ordinal)), Is.Empty, "the upstream never saw the excluded URI");
            Assert.That(Subscriptions.SubscriberCount("a", "test://doc/allowed-first"), Is.Zero, "the allowed URI of the refused request is released");
            Assert.That((string?)audit["method"], Is.EqualTo("subscriptions/listen"));
            Assert.That((string?)audit["server"], Is.EqualTo("a"));
        });
        await GatewayProbe.EventuallyAsync(() => Task.FromResult(_a.SubscriptionRequests.Contains("unsubscribe test://doc/allowed-first")),
            "and unsubscribed upstream");
    }

    [Test]
    public async Task TwoListenersOnOneUri_MakeOneUpstreamSubscribe_AndItIsReleasedOnlyAfterBothEnded()
    {
        const string uri = "test://doc/shared";
        var first = await ListenAsync($$"""{"resourceSubscriptions":{{Uris(uri)}}}""", id: 1);
        var second = await ListenAsync($$"""{"resourceSubscriptions":{{Uris(uri)}}}""", id: 2);
        try
        {
            await first.NextAsync("notifications/subscriptions/acknowledged");
            await second.NextAsync("notifications/subscriptions/acknowledged");
            await _a.NotifyUpdatedAsync(uri);
            await first.NextAsync("notifications/resources/updated");
            await second.NextAsync("notifications/resources/updated");

            await first.DisposeAsync();
            await GatewayProbe.EventuallyAsync(() => Task.FromResult(Subscriptions.SubscriberCount("a", uri) == 1), "the first listener's end is noticed");
            await Task.Delay(200);
            Assert.That(_a.SubscriptionRequests, Does.Not.Contain("unsubscribe " + uri), "the second listener still wants it");

            await second.DisposeAsync();
            await GatewayProbe.EventuallyAsync(() => Task.FromResult(_a.SubscriptionRequests.Contains("unsubscribe " + uri)), "the last listener's end unsubscribes upstream");
            Assert.Multiple(() =>
            {
                Assert.That(_a.SubscriptionRequests.Count(r => r == "subscribe " + uri), Is.EqualTo(1), "one upstream subscribe for two listeners");
                Assert.That(Subscriptions.SubscriberCount("a", uri), Is.Zero);
                Assert.That(_gateway.Services.GetRequiredService<ListenStreams>().Count, Is.Zero);
            });
        }
        finally
        {
            await first.DisposeAsync();
            await second.DisposeAsync();
        }
    }

    [TestCase("""{"resourceSubscriptions":[7]}""")]
    [TestCase("""{"resourceSubscriptions":[null]}""")]
    [TestCase("""{"resourceSubscriptions":"mcp-gateway://a/test://doc/readme"}""")]
    [TestCase("""{"toolsListChanged":"yes"}""")]
    [TestCase("""null""")]
    [TestCase("""[]""")]
    public async Task Listen_WithMalformedNotifications_IsAnsweredWithInvalidParamsNamingTheMember_AndHoldsNothing(string notifications)
    {
        await using var listen = await ListenAsync(notifications, id: 9);

        var answer = await listen.NextAsync(m => m.ContainsKey("error") || m.ContainsKey("result"));
        await listen.Ended.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Multiple(() =>
        {
            Assert.That((int?)answer["error"]?["code"], Is.EqualTo(-32602), answer.ToJsonString());
            Assert.That((string?)answer["error"]?["message"], Does.StartWith("Invalid params: ").And.Contain("notifications"));
            Assert.That((int?)answer["id"], Is.EqualTo(9));
            Assert.That(_gateway.Services.GetRequiredService<McpCapacity>().ListenStreams, Is.Zero);
        });
    }

    [Test]
    public async Task ServerDiscover_At2026_07_28_DeclaresResourceSubscriptions()
    {
        var body = McpHttp.Request(1, "server/discover", """{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}""");
        using var response = await _http.SendAsync(McpHttp.Post(_gateway.McpEndpoint, body,
            headers: new Dictionary<string, string> { ["MCP-Protocol-Version"] = "2026-07-28", ["Mcp-Method"] = "server/discover" }));
        var answer = await McpHttp.ReadMessageAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That((bool?)answer["result"]?["capabilities"]?["resources"]?["subscribe"], Is.True, answer.ToJsonString());
            Assert.That((bool?)answer["result"]?["capabilities"]?["tools"]?["listChanged"], Is.True);
        });
    }
}

/// <summary>The listen tests on a gateway that serves no sessions (the default).</summary>
[NonParallelizable]
public sealed class StatelessListenStreamsTests() : ListenStreamsTests(stateful: false);

/// <summary>
/// The listen tests on a stateful gateway, where 2026-07-28 requests are still served without a session, and listen
/// requests next to the sessions' resources/subscribe.
/// </summary>
[NonParallelizable]
public sealed class StatefulListenStreamsTests() : ListenStreamsTests(stateful: true)
{
    [Test]
    public async Task Listen_RefusalWording_IsTheSameAsResourcesSubscribes()
    {
        await using var client = await ConnectSessionAsync();
        var subscribe = (await Assert.ThrowsAsync<McpProtocolException>(() => client.SubscribeToResourceAsync(Root + "test://doc/secret")))!;
        await using var listen = await ListenAsync($$"""{"resourceSubscriptions":{{Uris("test://doc/secret")}}}""");
        var answer = await listen.NextAsync(m => m.ContainsKey("error") || m.ContainsKey("result"));

        // The SDK client puts "Request failed (remote): " before the server's message.
        Assert.That(subscribe.Message, Is.EqualTo("Request failed (remote): " + (string?)answer["error"]?["message"]));
    }

    [Test]
    public async Task ListenerAndStatefulSession_ShareTheUpstreamSubscription()
    {
        const string uri = "test://doc/mixed";
        await using var client = await ConnectSessionAsync();
        await client.SubscribeToResourceAsync(Root + uri);
        var listen = await ListenAsync($$"""{"resourceSubscriptions":{{Uris(uri)}}}""");
        await listen.NextAsync("notifications/subscriptions/acknowledged");
        await A.NotifyUpdatedAsync(uri);
        await listen.NextAsync("notifications/resources/updated");
        var whileBoth = Subscriptions.SubscriberCount("a", uri);
        await listen.DisposeAsync();
        await GatewayProbe.EventuallyAsync(() => Task.FromResult(Subscriptions.SubscriberCount("a", uri) == 1), "the listener's end is noticed");
        await Task.Delay(200);

        Assert.Multiple(() =>
        {
            Assert.That(whileBoth, Is.EqualTo(2), "the session and the listener");
            Assert.That(A.SubscriptionRequests.Count(r => r == "subscribe " + uri), Is.EqualTo(1), "one upstream subscribe for the session and the listener");
            Assert.That(A.SubscriptionRequests, Does.Not.Contain("unsubscribe " + uri), "the session still wants it");
        });
        await client.UnsubscribeFromResourceAsync(Root + uri);
    }

    private async Task<McpClient> ConnectSessionAsync() => await McpClient.CreateAsync(
        new HttpClientTransport(new HttpClientTransportOptions { Endpoint = Gateway.McpEndpoint, TransportMode = HttpTransportMode.StreamableHttp }, loggerFactory: null),
        new McpClientOptions { ProtocolVersion = "2025-11-25" });
}

/// <summary>The caps on <c>subscriptions/listen</c> requests and the end of the streams at shutdown, each on its own gateway.</summary>
[NonParallelizable]
public sealed class ListenStreamLimitTests
{
    [Test]
    public async Task Listen_BeyondMaxListenStreamsPerPrincipal_IsRefusedNamingTheSetting_UntilOneEnds()
    {
        await using var gateway = await TestGateway.StartAsync(new RoutesJson().ToString(), new Dictionary<string, string?>
        {
            ["Gateway:Mcp:MaxListenStreamsPerPrincipal"] = "1",
        });
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var first = await McpListen.OpenAsync(http, gateway.McpEndpoint, """{"toolsListChanged":true}""", id: 1);
        await first.NextAsync("notifications/subscriptions/acknowledged");

        await using (var refused = await McpListen.OpenAsync(http, gateway.McpEndpoint, """{"toolsListChanged":true}""", id: 2))
        {
            var answer = await refused.NextAsync(m => m.ContainsKey("error") || m.ContainsKey("result"));
            Assert.Multiple(() =>
            {
                Assert.That((int?)answer["error"]?["code"], Is.EqualTo(-32000), answer.ToJsonString());
                Assert.That((string?)answer["error"]?["message"], Does.StartWith("Too Many Requests: you already hold 1 open subscriptions/listen requests")
                    .And.Contain("(Gateway:Mcp:MaxListenStreamsPerPrincipal)"));
                Assert.That((string?)answer["error"]?["data"]?["cap"], Is.EqualTo("Gateway:Mcp:MaxListenStreamsPerPrincipal"));
                Assert.That((int?)answer["id"], Is.EqualTo(2));
            });
        }

        await first.DisposeAsync();
        await GatewayProbe.EventuallyAsync(() => Task.FromResult(gateway.GetRequiredService<McpCapacity>().ListenStreams == 0), "the first listener's slot is freed");
        await using var again = await McpListen.OpenAsync(http, gateway.McpEndpoint, """{"toolsListChanged":true}""", id: 3);
        await again.NextAsync("notifications/subscriptions/acknowledged");
    }

    [Test]
    public async Task GracefulShutdown_EndsAnOpenListenPromptly_WithItsResult_AndUnsubscribesUpstream()
    {
        await using var upstream = await CSharpUpstream.StartAsync(label: "alpha");
        var gateway = await TestGateway.StartAsync(FederatedRoutes.With(new RoutesJson(), ("a", upstream.Address, "{}")));
        try
        {
            await FederatedRoutes.WaitForToolAsync(gateway.Services, "a__echo");
            using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            await using var listen = await McpListen.OpenAsync(http, gateway.McpEndpoint, """{"resourceSubscriptions":["mcp-gateway://a/test://doc/readme"]}""", id: 5);
            await listen.NextAsync("notifications/subscriptions/acknowledged");

            var stopping = Stopwatch.StartNew();
            await gateway.DisposeAsync();
            stopping.Stop();
            await listen.Ended.WaitAsync(TimeSpan.FromSeconds(5));

            Assert.Multiple(() =>
            {
                Assert.That(stopping.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), "not held until the 25 s drain timeout");
                Assert.That(listen.Received.Last()["result"], Is.Not.Null, "the listen request completes with its result");
                Assert.That((int?)listen.Received.Last()["id"], Is.EqualTo(5));
                Assert.That(upstream.SubscriptionRequests, Does.Contain("unsubscribe " + CSharpUpstream.ReadmeUri));
            });
        }
        finally
        {
            await gateway.DisposeAsync();
        }
    }
}
