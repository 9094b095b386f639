using System.Collections.Concurrent;
using Gateway.Proxy.Federation.Resources;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Resilience;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Gateway.Tests.Federation;

/// <summary>
/// Two C# SDK upstreams with the same resource URIs and prompt names behind a stateful gateway: both are listed, apart
/// (URIs as mcp-gateway://{server}/…, prompts namespaced), reads, prompts and completions reach the right one, and
/// subscriptions are relayed per downstream session with one upstream subscription per URI.
/// </summary>
[NonParallelizable]
public sealed class FederatedResourceTests
{
    private const string ReadmeOfA = "mcp-gateway://a/test://doc/readme";
    private const string ReadmeOfB = "mcp-gateway://b/test://doc/readme";

    private CSharpUpstream _a = null!;
    private CSharpUpstream _b = null!;
    private TestGateway _gateway = null!;
    private McpClient _client = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _a = await CSharpUpstream.StartAsync(label: "alpha");
        _b = await CSharpUpstream.StartAsync(label: "beta");
        _gateway = await TestGateway.StartAsync(
            FederatedRoutes.With(new RoutesJson(), ("a", _a.Address, "{}"), ("b", _b.Address, "{}")),
            new Dictionary<string, string?> { ["Gateway:Mcp:Stateful"] = "true" });
        await FederatedRoutes.WaitForToolAsync(_gateway.Services, "a__echo");
        await FederatedRoutes.WaitForToolAsync(_gateway.Services, "b__echo");
        await GatewayProbe.EventuallyAsync(() => Task.FromResult(Catalog.Current.PromptsByName.Count == 2), "both upstreams' prompts are listed");
        _client = await ConnectAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _client.DisposeAsync();
        await _gateway.DisposeAsync();
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    private FederatedPrimitiveCatalog Catalog => _gateway.Services.GetRequiredService<FederatedPrimitiveCatalog>();

    [Test]
    public async Task Lists_HaveBothUpstreams_UnderTheirOwnUrisAndPromptNames()
    {
        var resources = (await _client.ListResourcesAsync()).Select(r => r.Uri).ToList();
        var templates = (await _client.ListResourceTemplatesAsync()).Select(t => t.UriTemplate).ToList();
        var prompts = (await _client.ListPromptsAsync()).Select(p => p.Name).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(resources, Is.SupersetOf(new[] { ReadmeOfA, ReadmeOfB }));
            Assert.That(templates, Is.EquivalentTo(new[] { "mcp-gateway://a/test://doc/{id}", "mcp-gateway://b/test://doc/{id}" }));
            Assert.That(prompts, Is.EquivalentTo(new[] { "a__greet", "b__greet" }));
        });
    }

    [Test]
    public async Task Capabilities_DeclareResourcesWithSubscribe_PromptsAndCompletions()
    {
        var capabilities = _client.ServerCapabilities;

        Assert.Multiple(() =>
        {
            Assert.That(capabilities.Resources?.Subscribe, Is.True);
            Assert.That(capabilities.Resources?.ListChanged, Is.True);
            Assert.That(capabilities.Prompts?.ListChanged, Is.True);
            Assert.That(capabilities.Completions, Is.Not.Null);
        });
    }

    [Test]
    public async Task Read_GoesToTheUpstreamTheUriNames_AndAnswersWithGatewayUris()
    {
        var readme = await _client.ReadResourceAsync(ReadmeOfA);
        var fromTemplate = await _client.ReadResourceAsync("mcp-gateway://b/test://doc/7");

        Assert.Multiple(() =>
        {
            Assert.That(((TextResourceContents)readme.Contents.Single()).Text, Is.EqualTo("alpha: readme"));
            Assert.That(readme.Contents.Single().Uri, Is.EqualTo(ReadmeOfA));
            Assert.That(((TextResourceContents)fromTemplate.Contents.Single()).Text, Is.EqualTo("beta: 7"));
            Assert.That(fromTemplate.Contents.Single().Uri, Is.EqualTo("mcp-gateway://b/test://doc/7"));
        });
    }

    [Test]
    public async Task Prompts_ReachTheirUpstream_WithArguments_AndEmbeddedResourcesMapped()
    {
        var prompt = await _client.GetPromptAsync("b__greet", new Dictionary<string, object?> { ["name"] = "Ada" });

        Assert.Multiple(() =>
        {
            Assert.That(((TextContentBlock)prompt.Messages[0].Content).Text, Is.EqualTo("Hello Ada from beta"));
            Assert.That(((EmbeddedResourceBlock)prompt.Messages[1].Content).Resource.Uri, Is.EqualTo(ReadmeOfB));
        });
    }

    [Test]
    public async Task Completion_OfPromptsAndTemplates_IsAskedOfTheUpstreamUnderItsOwnNames()
    {
        var names = await _client.CompleteAsync(new PromptReference { Name = "a__greet" }, "name", "A");
        var ids = await _client.CompleteAsync(new ResourceTemplateReference { Uri = "mcp-gateway://b/test://doc/{id}" }, "id", "");

        Assert.Multiple(() =>
        {
            Assert.That(names.Completion.Values, Is.EqualTo(new[] { "Ada", "Alan" }));
            Assert.That(ids.Completion.Values, Is.EqualTo(new[] { "1", "2", "3" }), "the upstream saw its own template URI");
        });
    }

    [Test]
    public async Task UnknownPrompt_ForeignUri_AndUnknownServer_AreInvalidParams()
    {
        var prompt = await Assert.ThrowsAsync<McpProtocolException>(() => _client.GetPromptAsync("nope__greet").AsTask());
        var foreign = await Assert.ThrowsAsync<McpProtocolException>(() => _client.ReadResourceAsync("test://doc/readme").AsTask());
        var server = await Assert.ThrowsAsync<McpProtocolException>(() => _client.ReadResourceAsync("mcp-gateway://zzz/test://doc/readme").AsTask());

        Assert.Multiple(() =>
        {
            Assert.That(prompt!.ErrorCode, Is.EqualTo(McpErrorCode.InvalidParams));
            Assert.That(prompt.Message, Does.Contain("prompts/list"));
            Assert.That(foreign!.ErrorCode, Is.EqualTo(McpErrorCode.InvalidParams));
            Assert.That(foreign.Message, Does.Contain("mcp-gateway://{server}/"));
            Assert.That(server!.ErrorCode, Is.EqualTo(McpErrorCode.InvalidParams));
        });
    }

    [Test]
    public async Task ToolResults_CarryGatewayUris_ThatCanBeRead()
    {
        var result = await _client.CallToolAsync("a__all_content");
        var link = result.Content.OfType<ResourceLinkBlock>().Single();
        var read = await _client.ReadResourceAsync(link.Uri);

        Assert.Multiple(() =>
        {
            Assert.That(link.Uri, Is.EqualTo("mcp-gateway://a/test://doc/2"));
            Assert.That(((TextResourceContents)read.Contents.Single()).Text, Is.EqualTo("alpha: 2"));
        });
    }

    [Test]
    public async Task Read_IsAudited_NamingMethodServerAndUpstreamUri()
    {
        await using var client = await ConnectAsync(requestId: "fed-resource-audit-1");
        await client.ReadResourceAsync(ReadmeOfB);

        var line = await AuditLines.WaitForAsync(Path.Combine(_gateway.Directory, "logs", "audit.jsonl"), "fed-resource-audit-1");

        Assert.Multiple(() =>
        {
            Assert.That((string?)line["method"], Is.EqualTo("resources/read"));
            Assert.That((string?)line["server"], Is.EqualTo("b"));
            Assert.That((string?)line["upstream_tool"], Is.EqualTo("test://doc/readme"));
            Assert.That((string?)line["status"], Is.EqualTo("ok"));
        });
    }

    [Test]
    public async Task Subscriptions_AreOneUpstream_UpdatesReachOnlySubscribers_AndTheLastToLeaveUnsubscribes()
    {
        var first = await ConnectAsync();
        var second = await ConnectAsync();
        await using var bystander = await ConnectAsync();
        var updates = new ConcurrentQueue<(string Client, string Uri)>();
        Watch(first, "first", updates);
        Watch(second, "second", updates);
        Watch(bystander, "bystander", updates);
        var subscriptions = _gateway.Services.GetRequiredService<ResourceSubscriptions>();
        try
        {
            await first.SubscribeToResourceAsync(ReadmeOfA);
            await second.SubscribeToResourceAsync(ReadmeOfA);
            await _a.NotifyUpdatedAsync(CSharpUpstream.ReadmeUri);
            await _b.NotifyUpdatedAsync(CSharpUpstream.ReadmeUri);
            await GatewayProbe.EventuallyAsync(() => Task.FromResult(updates.Count >= 2), "both subscribers hear the update");
            await Task.Delay(300);

            Assert.Multiple(() =>
            {
                Assert.That(_a.SubscriptionRequests.Count(r => r == "subscribe " + CSharpUpstream.ReadmeUri), Is.EqualTo(1), "one upstream subscription for two sessions");
                Assert.That(updates.OrderBy(u => u.Client), Is.EqualTo(new[] { ("first", ReadmeOfA), ("second", ReadmeOfA) }),
                    "exactly the subscribed sessions hear it, with the gateway URI; b's update of its own readme reaches no one");
            });

            await first.UnsubscribeFromResourceAsync(ReadmeOfA);
            Assert.That(_a.SubscriptionRequests, Does.Not.Contain("unsubscribe " + CSharpUpstream.ReadmeUri), "a session still wants it");

            await second.DisposeAsync();
            await GatewayProbe.EventuallyAsync(() => Task.FromResult(_a.SubscriptionRequests.Contains("unsubscribe " + CSharpUpstream.ReadmeUri)),
                "the session's end releases the last subscription upstream");
            Assert.That(subscriptions.SubscriberCount("a", CSharpUpstream.ReadmeUri), Is.Zero);
        }
        finally
        {
            await first.DisposeAsync();
            await second.DisposeAsync();
        }
    }

    [Test]
    public async Task Subscription_OutlivesAReloadThatChangesTheUpstreamsEntry()
    {
        await using var client = await ConnectAsync();
        var updates = new ConcurrentQueue<(string Client, string Uri)>();
        Watch(client, "client", updates);
        var uri = "mcp-gateway://b/test://doc/reloaded";
        await client.SubscribeToResourceAsync(uri);

        await GatewayProbe.WriteAtomicallyAsync(_gateway.RoutesPath,
            FederatedRoutes.With(new RoutesJson(), ("a", _a.Address, "{}"), ("b", _b.Address, """{"Tools":{"echo":{"Title":"Echo of b"}}}""")));
        await GatewayProbe.EventuallyAsync(() => Task.FromResult(_b.SubscriptionRequests.Count(r => r == "subscribe test://doc/reloaded") == 2),
            "the new upstream session subscribes again");
        await _b.NotifyUpdatedAsync("test://doc/reloaded");

        await GatewayProbe.EventuallyAsync(() => Task.FromResult(updates.Contains(("client", uri))), "the update reaches the subscriber");
        await client.UnsubscribeFromResourceAsync(uri);
    }

    [Test]
    public async Task UpstreamListChanged_ReachesStatefulSessions_AndTheNewResourceIsListed()
    {
        await using var client = await ConnectAsync();
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = client.RegisterNotificationHandler(NotificationMethods.ResourceListChangedNotification, (_, _) =>
        {
            changed.TrySetResult();
            return default;
        });

        await _b.AddResourceAsync("test://doc/added");
        await changed.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That((await client.ListResourcesAsync()).Select(r => r.Uri), Does.Contain("mcp-gateway://b/test://doc/added"));
    }

    private static void Watch(McpClient client, string name, ConcurrentQueue<(string, string)> updates) =>
        client.RegisterNotificationHandler(NotificationMethods.ResourceUpdatedNotification, (notification, _) =>
        {
            updates.Enqueue((name, (string)notification.Params!["uri"]!));
            return default;
        });

    private async Task<McpClient> ConnectAsync(string? requestId = null)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = _gateway.McpEndpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = requestId is null ? null : new Dictionary<string, string> { ["X-Request-ID"] = requestId },
        }, loggerFactory: null);
        // 2026-07-28 clients are served statelessly and subscribe with subscriptions/listen instead (Mcp/ListenStreamsTests).
        return await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = "2025-11-25" });
    }
}
