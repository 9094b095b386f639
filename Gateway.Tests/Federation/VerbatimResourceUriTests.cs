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
/// <c>"Resources": { "Uris": "Verbatim" }</c> on upstream a (beside b, prefixed, with the same URIs) behind a stateful
/// gateway: a's resources are listed, read, subscribed and relayed under its own URIs, their mcp-gateway:// form still
/// works, b keeps the prefixed form, and a reload that drops the key puts a back in the prefixed form.
/// </summary>
[NonParallelizable]
public sealed class VerbatimResourceUriTests
{
    private const string Readme = CSharpUpstream.ReadmeUri;
    private const string ReadmeOfA = "mcp-gateway://a/" + CSharpUpstream.ReadmeUri;
    private const string ReadmeOfB = "mcp-gateway://b/" + CSharpUpstream.ReadmeUri;
    private const string VerbatimEntry = """{ "Resources": { "Uris": "Verbatim" } }""";

    private CSharpUpstream _a = null!;
    private CSharpUpstream _b = null!;
    private TestGateway _gateway = null!;
    private McpClient _client = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _a = await CSharpUpstream.StartAsync(label: "alpha");
        _b = await CSharpUpstream.StartAsync(label: "beta");
        _gateway = await TestGateway.StartAsync(Routes(VerbatimEntry), new Dictionary<string, string?> { ["Gateway:Mcp:Stateful"] = "true" });
        await FederatedRoutes.WaitForToolAsync(_gateway.Services, "a__echo");
        await FederatedRoutes.WaitForToolAsync(_gateway.Services, "b__echo");
        await WaitForListedAsync(Readme);
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

    [Test]
    public async Task Lists_ShowTheVerbatimUpstreamsOwnUris_AndTheOthersPrefixed()
    {
        var resources = (await _client.ListResourcesAsync()).Select(r => r.Uri).ToList();
        var templates = (await _client.ListResourceTemplatesAsync()).Select(t => t.UriTemplate).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(resources, Is.SupersetOf(new[] { Readme, ReadmeOfB }));
            Assert.That(resources, Does.Not.Contain(ReadmeOfA));
            Assert.That(templates, Is.EquivalentTo(new[] { CSharpUpstream.DocTemplate, "mcp-gateway://b/" + CSharpUpstream.DocTemplate }));
        });
    }

    [Test]
    public async Task BareUri_IsReadFromTheVerbatimUpstream_AndItsGatewayFormStillWorks()
    {
        var bare = await _client.ReadResourceAsync(Readme);
        var fromTemplate = await _client.ReadResourceAsync("test://doc/7");
        var prefixed = await _client.ReadResourceAsync(ReadmeOfA);
        var ofB = await _client.ReadResourceAsync(ReadmeOfB);

        Assert.Multiple(() =>
        {
            Assert.That(((TextResourceContents)bare.Contents.Single()).Text, Is.EqualTo("alpha: readme"));
            Assert.That(bare.Contents.Single().Uri, Is.EqualTo(Readme));
            Assert.That(((TextResourceContents)fromTemplate.Contents.Single()).Text, Is.EqualTo("alpha: 7"));
            Assert.That(((TextResourceContents)prefixed.Contents.Single()).Text, Is.EqualTo("alpha: readme"));
            Assert.That(((TextResourceContents)ofB.Contents.Single()).Text, Is.EqualTo("beta: readme"));
            Assert.That(ofB.Contents.Single().Uri, Is.EqualTo(ReadmeOfB));
        });
    }

    [Test]
    public async Task ToolResults_PromptsAndCompletions_OfTheVerbatimUpstream_UseItsOwnUris()
    {
        var result = await _client.CallToolAsync("a__all_content");
        var prompt = await _client.GetPromptAsync("a__greet", new Dictionary<string, object?> { ["name"] = "Ada" });
        var ids = await _client.CompleteAsync(new ResourceTemplateReference { Uri = CSharpUpstream.DocTemplate }, "id", "");
        var ofB = await _client.CallToolAsync("b__all_content");

        Assert.Multiple(() =>
        {
            Assert.That(result.Content.OfType<ResourceLinkBlock>().Single().Uri, Is.EqualTo("test://doc/2"));
            Assert.That(result.Content.OfType<EmbeddedResourceBlock>().Single().Resource.Uri, Is.EqualTo("test://doc/1"));
            Assert.That(((EmbeddedResourceBlock)prompt.Messages[1].Content).Resource.Uri, Is.EqualTo(Readme));
            Assert.That(ids.Completion.Values, Is.EqualTo(new[] { "1", "2", "3" }), "the bare template reached a as its own");
            Assert.That(ofB.Content.OfType<ResourceLinkBlock>().Single().Uri, Is.EqualTo("mcp-gateway://b/test://doc/2"));
        });
    }

    [Test]
    public async Task BareUri_IsAuditedLikeAGatewayUri_NamingTheServer()
    {
        await using var client = await ConnectAsync(requestId: "fed-verbatim-audit-1");
        await client.ReadResourceAsync(Readme);

        var line = await AuditLines.WaitForAsync(Path.Combine(_gateway.Directory, "logs", "audit.jsonl"), "fed-verbatim-audit-1");

        Assert.Multiple(() =>
        {
            Assert.That((string?)line["method"], Is.EqualTo("resources/read"));
            Assert.That((string?)line["server"], Is.EqualTo("a"));
            Assert.That((string?)line["upstream_tool"], Is.EqualTo(Readme));
            Assert.That((string?)line["status"], Is.EqualTo("ok"));
        });
    }

    [TestCase("/etc/passwd")]
    [TestCase("doc/readme")]
    [TestCase("mcp-gateway:/a")]
    public async Task WhatIsNoAbsoluteUri_OrAMalformedGatewayUri_IsInvalidParams_AndNotSentUpstream(string uri)
    {
        var before = _a.Count(RequestMethods.ResourcesRead);

        var refused = await Assert.ThrowsAsync<McpProtocolException>(() => _client.ReadResourceAsync(uri).AsTask());

        Assert.Multiple(() =>
        {
            Assert.That(refused!.ErrorCode, Is.EqualTo(McpErrorCode.InvalidParams));
            Assert.That(refused.Message, Does.Contain("or an absolute URI of upstream 'a'"));
            Assert.That(_a.Count(RequestMethods.ResourcesRead), Is.EqualTo(before));
        });
    }

    [Test]
    public async Task Subscriptions_ByEitherForm_AreOneUpstreamSubscription_AndUpdatesCarryTheUriAsSubscribed()
    {
        await using var bare = await ConnectAsync();
        await using var prefixed = await ConnectAsync();
        var updates = new ConcurrentQueue<(string Client, string Uri)>();
        Watch(bare, "bare", updates);
        Watch(prefixed, "prefixed", updates);
        var uri = "test://doc/watched";

        await bare.SubscribeToResourceAsync(uri);
        await prefixed.SubscribeToResourceAsync("mcp-gateway://a/" + uri);
        await _a.NotifyUpdatedAsync(uri);
        await GatewayProbe.EventuallyAsync(() => Task.FromResult(updates.Count >= 2), "both subscribers hear the update");

        Assert.Multiple(() =>
        {
            Assert.That(_a.SubscriptionRequests.Count(r => r == "subscribe " + uri), Is.EqualTo(1), "one upstream subscription for both forms");
            Assert.That(updates.OrderBy(u => u.Client), Is.EqualTo(new[] { ("bare", uri), ("prefixed", "mcp-gateway://a/" + uri) }));
            Assert.That(_gateway.Services.GetRequiredService<ResourceSubscriptions>().SubscriberCount("a", uri), Is.EqualTo(2));
        });

        await bare.UnsubscribeFromResourceAsync(uri);
        await prefixed.UnsubscribeFromResourceAsync("mcp-gateway://a/" + uri);
        await GatewayProbe.EventuallyAsync(() => Task.FromResult(_a.SubscriptionRequests.Contains("unsubscribe " + uri)), "the last one out unsubscribes upstream");
    }

    [Test]
    public async Task Reload_ThatDropsVerbatim_ListsTheUpstreamPrefixed_AndRefusesItsBareUris()
    {
        try
        {
            await GatewayProbe.WriteAtomicallyAsync(_gateway.RoutesPath, Routes("{}"));
            await WaitForListedAsync(ReadmeOfA);

            var refused = await Assert.ThrowsAsync<McpProtocolException>(() => _client.ReadResourceAsync(Readme).AsTask());
            Assert.Multiple(() =>
            {
                Assert.That(refused!.ErrorCode, Is.EqualTo(McpErrorCode.InvalidParams));
                Assert.That(refused.Message, Does.Contain("mcp-gateway://{server}/").And.Not.Contain("absolute URI of upstream"));
            });
        }
        finally
        {
            await GatewayProbe.WriteAtomicallyAsync(_gateway.RoutesPath, Routes(VerbatimEntry));
            await WaitForListedAsync(Readme);
        }
    }

    private string Routes(string entryOfA) => FederatedRoutes.With(new RoutesJson(), ("a", _a.Address, entryOfA), ("b", _b.Address, "{}"));

    private Task WaitForListedAsync(string uri)
    {
        var catalog = _gateway.Services.GetRequiredService<FederatedPrimitiveCatalog>();
        return GatewayProbe.EventuallyAsync(() => Task.FromResult(catalog.Current.Resources.Any(r => r.Listed.Uri == uri)), $"'{uri}' is listed");
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
