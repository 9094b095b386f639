using System.Net.Http.Headers;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Security;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Gateway.Tests.Federation;

/// <summary>
/// What the gateway sends upstream (its own credential and the verified identity, never the caller's token) and how it
/// keeps its session: re-initialized after an upstream restart, tools/list refreshed on list_changed, upstreams added
/// and removed by editing routes.json.
/// </summary>
public sealed class UpstreamSessionTests
{
    [Test]
    public async Task CallersToken_NeverReachesTheUpstream_ButTheConfiguredCredentialAndVerifiedIdentityDo()
    {
        await using var upstream = await CSharpUpstream.StartAsync();
        var secretFile = Path.Combine(Path.GetTempPath(), "gateway-tests", "upstream-token-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.GetDirectoryName(secretFile)!);
        await File.WriteAllTextAsync(secretFile, "upstream-secret\n");
        await using var secured = await SecuredGateway.StartAsync(routes: echo => FederatedRoutes.With(
            new RoutesJson().Cluster("echo", echo),
            ("up", upstream.Address, $$"""{ "Credential": { "Type": "Bearer", "FromFile": "{{secretFile.Replace("\\", "\\\\")}}" } }""")));
        await FederatedRoutes.WaitForToolAsync(secured.Gateway.Services, "up__echo");
        var token = secured.Token(subject: "alice", tenant: "acme", tier: "standard");

        using var request = McpHttp.Post(secured.Gateway.McpEndpoint, McpHttp.Request(1, "tools/call", """{"name":"up__echo","arguments":{"text":"hi"}}"""),
            headers: new Dictionary<string, string> { ["MCP-Protocol-Version"] = "2025-11-25", ["X-Gateway-Subject"] = "mallory", ["Cookie"] = "session=abc" });
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("X-Request-ID", "fed-identity-1");
        using var response = await secured.Http.SendAsync(request);
        var answer = await McpHttp.ReadMessageAsync(response);
        var call = upstream.Requests.Single(r => r.Method == "tools/call").Headers;
        var others = upstream.Requests.Where(r => r.Method != "tools/call").ToList();

        Assert.Multiple(() =>
        {
            Assert.That((string?)answer["result"]!["content"]![0]!["text"], Is.EqualTo("echo: hi"));
            Assert.That(call["Authorization"], Is.EqualTo("Bearer upstream-secret"), "the configured credential, not the caller's token");
            Assert.That(call.Values, Has.None.Contains(token), "the caller's token appears in no header");
            Assert.That(call.ContainsKey("Cookie"), Is.False);
            Assert.That(call["X-Gateway-Subject"], Is.EqualTo("alice"), "the verified subject, not the one the caller sent");
            Assert.That(call["X-Gateway-Tenant"], Is.EqualTo("acme"));
            Assert.That(call["X-Gateway-Tier"], Is.EqualTo("standard"));
            Assert.That(call["X-Request-ID"], Is.EqualTo("fed-identity-1"));
            Assert.That(others, Is.Not.Empty);
            Assert.That(others.Select(r => r.Headers["Authorization"]), Has.All.EqualTo("Bearer upstream-secret"), "session requests carry the credential too");
            Assert.That(others.Select(r => r.Headers.ContainsKey("X-Gateway-Subject")), Has.All.False, "session requests are made for no caller");
        });
    }

    [Test]
    public async Task ApiKeyHeaderCredential_FromEnvironment_IsSentInItsHeader()
    {
        var variable = "GATEWAY_TEST_UPSTREAM_KEY_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "key-from-env");
        try
        {
            await using var upstream = await CSharpUpstream.StartAsync();
            await using var gateway = await TestGateway.StartAsync(FederatedRoutes.With(new RoutesJson(),
                ("up", upstream.Address, $$"""{ "Credential": { "Type": "ApiKeyHeader", "Header": "X-Api-Key", "FromEnvironment": "{{variable}}" } }""")));
            await FederatedRoutes.WaitForToolAsync(gateway.Services, "up__echo");

            Assert.That(upstream.Requests.Select(r => r.Headers.GetValueOrDefault("X-Api-Key")), Has.All.EqualTo("key-from-env"));
            Assert.That(upstream.Requests.Select(r => r.Headers.ContainsKey("Authorization")), Has.All.False);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Test]
    public async Task UpstreamRestart_TheNextCallReinitializesAndSucceeds()
    {
        await using var upstream = await CSharpUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(FederatedRoutes.With(new RoutesJson(), ("up", upstream.Address, "{}")));
        await FederatedRoutes.WaitForToolAsync(gateway.Services, "up__echo");
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = gateway.McpEndpoint }, loggerFactory: null));

        var before = await client.CallToolAsync("up__echo", new Dictionary<string, object?> { ["text"] = "before" });
        await upstream.StopAsync();
        var down = await client.CallToolAsync("up__echo", new Dictionary<string, object?> { ["text"] = "down" });
        await upstream.StartAgainAsync();
        var after = await client.CallToolAsync("up__echo", new Dictionary<string, object?> { ["text"] = "after" });

        Assert.Multiple(() =>
        {
            Assert.That(((TextContentBlock)before.Content[0]).Text, Is.EqualTo("echo: before"));
            Assert.That(down.IsError, Is.True);
            Assert.That(((TextContentBlock)down.Content[0]).Text, Does.StartWith("BackendUnavailable: tool 'up__echo' could not reach upstream MCP server 'up'"));
            Assert.That(((TextContentBlock)after.Content[0]).Text, Is.EqualTo("echo: after"), "a new session on the restarted upstream");
            Assert.That(upstream.Count("initialize"), Is.EqualTo(2), "one session before the restart, one after");
        });
    }

    [Test]
    public async Task UpstreamListChanged_UpdatesToolsList_AndTellsTheGatewaysOwnSessions()
    {
        await using var upstream = await CSharpUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(FederatedRoutes.With(new RoutesJson(), ("up", upstream.Address, "{}")),
            new Dictionary<string, string?> { ["Gateway:Mcp:Stateful"] = "true", ["Gateway:Federation:RefreshInterval"] = "01:00:00" });
        await FederatedRoutes.WaitForToolAsync(gateway.Services, "up__echo");
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var client = await McpClient.CreateAsync(
            new HttpClientTransport(new HttpClientTransportOptions { Endpoint = gateway.McpEndpoint, TransportMode = HttpTransportMode.StreamableHttp }, loggerFactory: null),
            new McpClientOptions
            {
                ProtocolVersion = "2025-11-25",
                Handlers = new McpClientHandlers
                {
                    NotificationHandlers = [new(NotificationMethods.ToolListChangedNotification, (_, _) => { changed.TrySetResult(); return ValueTask.CompletedTask; })],
                },
            });
        Assert.That((await client.ListToolsAsync()).Select(t => t.Name), Does.Not.Contain("up__late"));

        upstream.AddTool("late");
        await FederatedRoutes.WaitForToolAsync(gateway.Services, "up__late");

        Assert.Multiple(async () =>
        {
            Assert.That((await client.ListToolsAsync()).Select(t => t.Name), Does.Contain("up__late"));
            Assert.That(await Task.WhenAny(changed.Task, Task.Delay(TimeSpan.FromSeconds(10))), Is.SameAs(changed.Task), "the gateway session heard tools/list_changed");
        });
    }

    [Test]
    public async Task HotReload_AddsAndRemovesAnUpstream()
    {
        await using var upstream = await CSharpUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(new RoutesJson().ToString());
        using var http = new HttpClient { BaseAddress = gateway.Address };

        await gateway.WriteRoutesAsync(FederatedRoutes.With(new RoutesJson(), ("up", upstream.Address, """{ "Include": [ "ech*" ] }""")));
        await FederatedRoutes.WaitForToolAsync(gateway.Services, "up__echo");
        var added = await http.GetStringAsync("tools");
        await gateway.WriteRoutesAsync(new RoutesJson().ToString());
        await FederatedRoutes.WaitForToolAsync(gateway.Services, "up__echo", present: false);
        var removed = await http.GetStringAsync("tools");

        Assert.Multiple(() =>
        {
            Assert.That(added, Does.Contain("\"up__echo\"").And.Not.Contain("up__cypher"), "Include keeps only matching tools");
            Assert.That(removed, Does.Not.Contain("up__"));
        });
    }
}
