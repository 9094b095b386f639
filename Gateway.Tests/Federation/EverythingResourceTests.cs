using System.Text.Json.Nodes;
using Gateway.Proxy.Federation.Resources;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Resilience;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Gateway.Tests.Federation;

/// <summary>
/// The MCP project's reference server (<c>@modelcontextprotocol/server-everything</c>) behind a stateful gateway with
/// the sample's federation entry: its static and template resources, prompts with arguments, completions and resource
/// subscriptions, all through the gateway under mcp-gateway://everything/… URIs and everything__ prompt names.
/// </summary>
[NonParallelizable]
public sealed class EverythingResourceTests
{
    private const string Architecture = "mcp-gateway://everything/demo://resource/static/document/architecture.md";
    private const string TextTemplate = "mcp-gateway://everything/demo://resource/dynamic/text/{resourceId}";

    private RunningServerEverything _server = null!;
    private TestGateway _gateway = null!;
    private McpClient _client = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await RunningServerEverything.StartAsync();
        var routes = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(ServerEverything.SampleDirectory, "routes.json")))!;
        routes["ReverseProxy"]!["Clusters"]!["everything"]!["Destinations"]!["everything-1"]!["Address"] = _server.Address.ToString();
        _gateway = await TestGateway.StartAsync(routes.ToJsonString(), new Dictionary<string, string?> { ["Gateway:Mcp:Stateful"] = "true" });
        await FederatedRoutes.WaitForToolAsync(_gateway.Services, "everything__echo");
        var catalog = _gateway.Services.GetRequiredService<FederatedPrimitiveCatalog>();
        await GatewayProbe.EventuallyAsync(() => Task.FromResult(catalog.Current.PromptsByName.ContainsKey("everything__simple-prompt")), "the upstream's prompts are listed");
        _client = await McpClient.CreateAsync(
            new HttpClientTransport(new HttpClientTransportOptions { Endpoint = _gateway.McpEndpoint, TransportMode = HttpTransportMode.StreamableHttp }, loggerFactory: null),
            new McpClientOptions { ProtocolVersion = "2025-11-25" });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_gateway is null)
        {
            return;
        }

        await _client.DisposeAsync();
        await _gateway.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task Lists_HaveItsStaticResources_Templates_AndPrompts_UnderGatewayNames()
    {
        var resources = (await _client.ListResourcesAsync()).Select(r => r.Uri).ToList();
        var templates = (await _client.ListResourceTemplatesAsync()).Select(t => t.UriTemplate).ToList();
        var prompts = (await _client.ListPromptsAsync()).ToDictionary(p => p.Name, p => p.ProtocolPrompt);

        Assert.Multiple(() =>
        {
            Assert.That(resources, Does.Contain(Architecture));
            Assert.That(resources, Has.All.StartWith("mcp-gateway://everything/"));
            Assert.That(templates, Does.Contain(TextTemplate));
            Assert.That(prompts.Keys, Is.SupersetOf(new[] { "everything__simple-prompt", "everything__args-prompt", "everything__completable-prompt", "everything__resource-prompt" }));
            Assert.That(prompts["everything__args-prompt"].Arguments?.Select(a => a.Name), Is.EquivalentTo(new[] { "city", "state" }));
        });
    }

    [Test]
    public async Task Reads_OfStaticAndTemplateResources_ComeBackWithGatewayUris()
    {
        var document = await _client.ReadResourceAsync(Architecture);
        var dynamic = await _client.ReadResourceAsync(TextTemplate.Replace("{resourceId}", "3", StringComparison.Ordinal));

        Assert.Multiple(() =>
        {
            Assert.That(document.Contents.Single().Uri, Is.EqualTo(Architecture));
            Assert.That(((TextResourceContents)document.Contents.Single()).Text, Is.Not.Empty);
            Assert.That(dynamic.Contents.Single().Uri, Is.EqualTo("mcp-gateway://everything/demo://resource/dynamic/text/3"));
            Assert.That(((TextResourceContents)dynamic.Contents.Single()).Text, Does.Contain("3"));
        });
    }

    [Test]
    public async Task Prompts_WithArguments_AndWithAnEmbeddedResource()
    {
        var weather = await _client.GetPromptAsync("everything__args-prompt", new Dictionary<string, object?> { ["city"] = "Lisbon", ["state"] = "Lisboa" });
        var embedded = await _client.GetPromptAsync("everything__resource-prompt", new Dictionary<string, object?> { ["resourceType"] = "Text", ["resourceId"] = "2" });

        Assert.Multiple(() =>
        {
            Assert.That(((TextContentBlock)weather.Messages.Single().Content).Text, Is.EqualTo("What's weather in Lisbon, Lisboa?"));
            Assert.That(embedded.Messages.Select(m => m.Content).OfType<EmbeddedResourceBlock>().Single().Resource.Uri,
                Is.EqualTo("mcp-gateway://everything/demo://resource/dynamic/text/2"));
        });
    }

    [Test]
    public async Task Completions_OfPromptArgumentsWithContext_AndOfTemplateVariables()
    {
        var departments = await _client.CompleteAsync(new PromptReference { Name = "everything__completable-prompt" }, "department", "E");
        var members = await _client.CompleteAsync(new CompleteRequestParams
        {
            Ref = new PromptReference { Name = "everything__completable-prompt" },
            Argument = new Argument { Name = "name", Value = "" },
            Context = new CompleteContext { Arguments = new Dictionary<string, string> { ["department"] = "Engineering" } },
        });
        var ids = await _client.CompleteAsync(new ResourceTemplateReference { Uri = TextTemplate }, "resourceId", "4");

        Assert.Multiple(() =>
        {
            Assert.That(departments.Completion.Values, Is.EqualTo(new[] { "Engineering" }));
            Assert.That(members.Completion.Values, Is.EqualTo(new[] { "Alice", "Bob", "Charlie" }));
            Assert.That(ids.Completion.Values, Is.EqualTo(new[] { "4" }));
        });
    }

    [Test]
    public async Task ResourceLinksFromTools_AreGatewayUris_ThatCanBeRead()
    {
        var links = (await _client.CallToolAsync("everything__get-resource-links", new Dictionary<string, object?> { ["count"] = 2 }))
            .Content.OfType<ResourceLinkBlock>().ToList();
        var read = await _client.ReadResourceAsync(links[0].Uri);

        Assert.Multiple(() =>
        {
            Assert.That(links.Select(l => l.Uri), Has.All.StartWith("mcp-gateway://everything/demo://"));
            Assert.That(read.Contents.Single().Uri, Is.EqualTo(links[0].Uri));
        });
    }

    [Test]
    public async Task Subscription_RelaysTheUpstreamsUpdates_WithTheGatewayUri()
    {
        var updated = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = _client.RegisterNotificationHandler(NotificationMethods.ResourceUpdatedNotification, (notification, _) =>
        {
            updated.TrySetResult((string)notification.Params!["uri"]!);
            return default;
        });

        await _client.SubscribeToResourceAsync(Architecture);
        // The reference server sends updates only to sessions that asked with this tool: the gateway's upstream session.
        var toggled = await _client.CallToolAsync("everything__toggle-subscriber-updates");
        try
        {
            Assert.That(await updated.Task.WaitAsync(TimeSpan.FromSeconds(15)), Is.EqualTo(Architecture));
        }
        finally
        {
            if (((TextContentBlock)toggled.Content[0]).Text.StartsWith("Started", StringComparison.Ordinal))
            {
                await _client.CallToolAsync("everything__toggle-subscriber-updates");
            }

            await _client.UnsubscribeFromResourceAsync(Architecture);
        }
    }
}
