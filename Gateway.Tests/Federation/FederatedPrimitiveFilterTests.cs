using Gateway.Proxy.Federation.Resources;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Resilience;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Gateway.Tests.Federation;

/// <summary>
/// An upstream's <c>Resources</c> and <c>Prompts</c> Include/Exclude lists, against real C# SDK upstreams behind a
/// stateful gateway: what they leave out is not listed, and reading, subscribing, getting or completing it is refused
/// exactly like an unknown one (never reaching the upstream), on the canonical form of the URI. An upstream without
/// lists ("open") is the control: it serves the same URIs.
/// </summary>
[NonParallelizable]
public sealed class FederatedPrimitiveFilterTests
{
    private const string Secret = "test://doc/secret-plans";

    private CSharpUpstream _open = null!;
    private CSharpUpstream _filtered = null!;
    private TestGateway _gateway = null!;
    private McpClient _client = null!;
    private bool _routesChanged;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _open = await CSharpUpstream.StartAsync(label: "open");
        _filtered = await CSharpUpstream.StartAsync(label: "filtered");
        await _filtered.AddResourceAsync(Secret);
        _gateway = await TestGateway.StartAsync(Routes(ExcludeSecret), new Dictionary<string, string?> { ["Gateway:Mcp:Stateful"] = "true" });
        await WaitForPromptAsync("open__greet");
        await WaitForResourcesAsync("filtered", 1);
        _client = await ConnectAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _client.DisposeAsync();
        await _gateway.DisposeAsync();
        await _open.DisposeAsync();
        await _filtered.DisposeAsync();
    }

    [TearDown]
    public async Task RestoreRoutesAsync()
    {
        if (_routesChanged)
        {
            await ApplyAsync(ExcludeSecret);
            await WaitForPromptAsync("filtered__greet");
            await GatewayProbe.EventuallyAsync(() => Task.FromResult(Catalog.Current.Templates.Count(t => t.Server == "filtered") == 1
                && Catalog.Current.Resources.Count(r => r.Server == "filtered") == 1), "the first routes' lists are back");
            _routesChanged = false;
        }
    }

    private const string ExcludeSecret = """{ "Resources": { "Exclude": [ "test://doc/secret*" ] } }""";

    private FederatedPrimitiveCatalog Catalog => _gateway.Services.GetRequiredService<FederatedPrimitiveCatalog>();

    [Test]
    public async Task ExcludedResource_IsNotListed_WhileTheUnfilteredUpstreamListsItsTwin()
    {
        var listed = (await _client.ListResourcesAsync()).Select(r => r.Uri).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(listed, Does.Not.Contain(Gateway(Secret)));
            Assert.That(listed, Does.Contain("mcp-gateway://filtered/test://doc/readme"), "what the list does not name stays");
            Assert.That(listed, Does.Contain("mcp-gateway://open/test://doc/readme"));
        });
    }

    [TestCase(Secret, TestName = "Read_ExcludedUri_IsRefusedLikeAnUnknownOne")]
    [TestCase("test://doc/public/../secret-plans", TestName = "Read_DotSegmentsIntoAnExcludedUri_AreRefused")]
    [TestCase("test://doc/public/%2e%2E/secret-plans", TestName = "Read_PercentEncodedDotSegments_AreRefused")]
    [TestCase("test://doc/%73ecret-plans", TestName = "Read_PercentEncodedLetters_AreRefused")]
    [TestCase("TEST://DOC/secret-plans", TestName = "Read_UpperCaseSchemeAndHost_AreRefused")]
    [TestCase("test://doc/public%2F..%2Fsecret-plans", TestName = "Read_EncodedSlashBesideADotSegment_IsRefused")]
    [TestCase("test://doc/%zz", TestName = "Read_MalformedEscape_IsRefused")]
    public async Task Read_OfAUriTheListsLeaveOut_IsRefused_AndNeverReachesTheUpstream(string upstreamUri)
    {
        var readsBefore = _filtered.Count("resources/read");

        var refused = await Assert.ThrowsAsync<McpProtocolException>(() => _client.ReadResourceAsync(Gateway(upstreamUri)).AsTask());
        var control = await _client.ReadResourceAsync("mcp-gateway://open/" + Secret);

        Assert.Multiple(() =>
        {
            Assert.That(refused!.ErrorCode, Is.EqualTo(McpErrorCode.InvalidParams));
            Assert.That(refused.Message, Does.Contain($"Unknown resource '{Gateway(upstreamUri)}'").And.Contain("resources/list"));
            Assert.That(_filtered.Count("resources/read"), Is.EqualTo(readsBefore), "nothing was sent upstream");
            Assert.That(control.Contents, Has.Count.EqualTo(1), "the unfiltered upstream serves the same URI");
        });
    }

    [Test]
    public async Task Read_OfAnAllowedUri_SendsItsCanonicalForm()
    {
        var read = await _client.ReadResourceAsync(Gateway("test://doc/public/../%72eadme"));

        Assert.That(((TextResourceContents)read.Contents.Single()).Text, Is.EqualTo("filtered: readme"), "the upstream was asked for test://doc/readme");
    }

    [Test]
    public async Task RefusedRead_IsAudited_AsAnUnknownOne()
    {
        await using var client = await ConnectAsync(requestId: "fed-filter-audit-1");
        await Assert.ThrowsAsync<McpProtocolException>(() => client.ReadResourceAsync(Gateway(Secret)).AsTask());

        var line = await AuditLines.WaitForAsync(Path.Combine(_gateway.Directory, "logs", "audit.jsonl"), "fed-filter-audit-1");

        Assert.Multiple(() =>
        {
            Assert.That((string?)line["method"], Is.EqualTo("resources/read"));
            Assert.That((string?)line["server"], Is.EqualTo("filtered"));
            Assert.That((string?)line["upstream_tool"], Is.EqualTo(Secret));
            Assert.That((string?)line["error"], Is.EqualTo("ToolNotFound"));
        });
    }

    [Test]
    public async Task Subscribe_ToAnExcludedUri_IsRefused_AndTheUpstreamIsNotAsked()
    {
        var refused = await Assert.ThrowsAsync<McpProtocolException>(() => _client.SubscribeToResourceAsync(Gateway("test://doc/./secret-plans")));
        await _client.SubscribeToResourceAsync("mcp-gateway://filtered/test://doc/readme");
        await _client.UnsubscribeFromResourceAsync("mcp-gateway://filtered/test://doc/readme");

        Assert.Multiple(() =>
        {
            Assert.That(refused!.ErrorCode, Is.EqualTo(McpErrorCode.InvalidParams));
            Assert.That(refused.Message, Does.Contain("Unknown resource"));
            Assert.That(_filtered.SubscriptionRequests, Has.None.Contains("secret"));
            Assert.That(_filtered.SubscriptionRequests, Does.Contain("subscribe test://doc/readme"));
        });
    }

    [Test]
    public async Task Update_OfAUriAReloadExcluded_IsNotRelayed_ToSessionsSubscribedBefore()
    {
        await using var client = await ConnectAsync();
        var updates = new System.Collections.Concurrent.ConcurrentQueue<string>();
        client.RegisterNotificationHandler(NotificationMethods.ResourceUpdatedNotification, (notification, _) =>
        {
            updates.Enqueue((string)notification.Params!["uri"]!);
            return default;
        });
        await client.SubscribeToResourceAsync(Gateway("test://doc/readme"));
        await _filtered.NotifyUpdatedAsync("test://doc/readme");
        await GatewayProbe.EventuallyAsync(() => Task.FromResult(updates.Count == 1), "the update reaches the subscriber while the URI is federated");

        await ApplyAsync("""{ "Resources": { "Exclude": [ "test://doc/readme" ] } }""");
        await GatewayProbe.EventuallyAsync(() => Task.FromResult(!Catalog.Current.Resources.Any(r => r.Listed.Uri == Gateway("test://doc/readme"))), "the reload's list is in force");
        await _filtered.NotifyUpdatedAsync("test://doc/readme");
        await Task.Delay(500);

        Assert.That(updates, Has.Count.EqualTo(1), "no update of the excluded URI after the reload");
    }

    [Test]
    public async Task ExcludedTemplateAndPrompt_AreNotListed_AndReadsGetsAndCompletionsAgainstThemAreRefused()
    {
        await ApplyAsync("""{ "Resources": { "Exclude": [ "test://doc/{id}" ] }, "Prompts": { "Exclude": [ "gr*" ] } }""");
        await GatewayProbe.EventuallyAsync(() => Task.FromResult(!Catalog.Current.PromptsByName.ContainsKey("filtered__greet")), "the prompt leaves the list");
        var readsBefore = _filtered.Count("resources/read");

        var templates = (await _client.ListResourceTemplatesAsync()).Select(t => t.UriTemplate).ToList();
        var resources = (await _client.ListResourcesAsync()).Select(r => r.Uri).ToList();
        var prompts = (await _client.ListPromptsAsync()).Select(p => p.Name).ToList();
        var expanded = await Assert.ThrowsAsync<McpProtocolException>(() => _client.ReadResourceAsync(Gateway("test://doc/7")).AsTask());
        var get = await Assert.ThrowsAsync<McpProtocolException>(() => _client.GetPromptAsync("filtered__greet").AsTask());
        var completePrompt = await Assert.ThrowsAsync<McpProtocolException>(() => _client.CompleteAsync(new PromptReference { Name = "filtered__greet" }, "name", "A").AsTask());
        var completeTemplate = await Assert.ThrowsAsync<McpProtocolException>(() =>
            _client.CompleteAsync(new ResourceTemplateReference { Uri = Gateway("test://doc/{id}") }, "id", "").AsTask());
        var control = await _client.CompleteAsync(new ResourceTemplateReference { Uri = "mcp-gateway://open/test://doc/{id}" }, "id", "");

        Assert.Multiple(() =>
        {
            Assert.That(templates, Is.EqualTo(new[] { "mcp-gateway://open/test://doc/{id}" }));
            Assert.That(resources.Where(r => r.StartsWith("mcp-gateway://filtered/", StringComparison.Ordinal)), Is.Empty,
                "every listed URI is an expansion of the excluded template");
            Assert.That(prompts, Is.EqualTo(new[] { "open__greet" }));
            Assert.That(expanded!.Message, Does.Contain("Unknown resource"), "a URI the excluded template expands to");
            Assert.That(get!.Message, Does.Contain("Unknown prompt 'filtered__greet'"));
            Assert.That(completePrompt!.ErrorCode, Is.EqualTo(McpErrorCode.InvalidParams));
            Assert.That(completeTemplate!.Message, Does.Contain("Unknown resource template"));
            Assert.That(control.Completion.Values, Is.EqualTo(new[] { "1", "2", "3" }));
            Assert.That(_filtered.Count("resources/read") + _filtered.Count("prompts/get") + _filtered.Count("completion/complete"), Is.EqualTo(readsBefore),
                "nothing refused reached the upstream");
        });
    }

    [Test]
    public async Task Include_ListsOnlyWhatItNames_AndRefusesEveryOtherUri()
    {
        await ApplyAsync("""{ "Resources": { "Include": [ "test://doc/readme" ] }, "Prompts": { "Include": [ "other" ] } }""");
        await GatewayProbe.EventuallyAsync(() => Task.FromResult(!Catalog.Current.Templates.Any(t => t.Server == "filtered")), "the template leaves the list");

        var resources = (await _client.ListResourcesAsync()).Select(r => r.Uri).Where(u => u.StartsWith("mcp-gateway://filtered/", StringComparison.Ordinal)).ToList();
        var outside = await Assert.ThrowsAsync<McpProtocolException>(() => _client.ReadResourceAsync(Gateway("test://doc/7")).AsTask());
        var inside = await _client.ReadResourceAsync(Gateway("test://doc/readme"));
        var prompt = await Assert.ThrowsAsync<McpProtocolException>(() => _client.GetPromptAsync("filtered__greet").AsTask());

        Assert.Multiple(() =>
        {
            Assert.That(resources, Is.EqualTo(new[] { "mcp-gateway://filtered/test://doc/readme" }));
            Assert.That(outside!.Message, Does.Contain("Unknown resource"));
            Assert.That(((TextResourceContents)inside.Contents.Single()).Text, Is.EqualTo("filtered: readme"));
            Assert.That(prompt!.Message, Does.Contain("Unknown prompt"));
        });
    }

    [Test]
    public async Task Reload_ThatDropsTheLists_ServesTheUriAgain_AndOneThatAddsThemRefusesItAtOnce()
    {
        await ApplyAsync("{}");
        await WaitForResourcesAsync("filtered", 2);
        var served = await _client.ReadResourceAsync(Gateway(Secret));

        await ApplyAsync(ExcludeSecret);
        await GatewayProbe.EventuallyAsync(async () =>
        {
            try
            {
                await _client.ReadResourceAsync(Gateway(Secret));
                return false;
            }
            catch (McpProtocolException)
            {
                return true;
            }
        }, "the reload's Exclude refuses the read");
        await WaitForResourcesAsync("filtered", 1);

        Assert.Multiple(async () =>
        {
            Assert.That(((TextResourceContents)served.Contents.Single()).Text, Is.EqualTo("filtered: secret-plans"));
            Assert.That((await _client.ListResourcesAsync()).Select(r => r.Uri), Does.Not.Contain(Gateway(Secret)));
        });
    }

    private static string Gateway(string upstreamUri) => "mcp-gateway://filtered/" + upstreamUri;

    private string Routes(string filteredEntry) =>
        FederatedRoutes.With(new RoutesJson(), ("open", _open.Address, "{}"), ("filtered", _filtered.Address, filteredEntry));

    private Task ApplyAsync(string filteredEntry)
    {
        _routesChanged = true;
        return GatewayProbe.WriteAtomicallyAsync(_gateway.RoutesPath, Routes(filteredEntry));
    }

    private Task WaitForResourcesAsync(string server, int count) =>
        GatewayProbe.EventuallyAsync(() => Task.FromResult(Catalog.Current.Resources.Count(r => r.Server == server) == count), $"{count} resources of '{server}' are listed");

    private Task WaitForPromptAsync(string name) =>
        GatewayProbe.EventuallyAsync(() => Task.FromResult(Catalog.Current.PromptsByName.ContainsKey(name)), $"prompt '{name}' is listed");

    private async Task<McpClient> ConnectAsync(string? requestId = null)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = _gateway.McpEndpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = requestId is null ? null : new Dictionary<string, string> { ["X-Request-ID"] = requestId },
        }, loggerFactory: null);
        return await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = "2025-11-25" });
    }
}
