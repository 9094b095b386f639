using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Gateway.Proxy.Federation.Relay;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

#pragma warning disable MCP9005 // sampling, roots and logging: what the relay passes on

namespace Gateway.Tests.Federation;

/// <summary>
/// What a federated call carries besides its result, through the gateway to the npm reference server
/// (<c>@modelcontextprotocol/server-everything</c>) with a C# SDK client downstream: progress, the upstream's sampling,
/// elicitation and roots requests (stateful gateway, capable client) and their refusal where they cannot be delivered,
/// log messages, and every content kind exactly as the upstream sent it.
/// </summary>
[NonParallelizable]
public sealed class FederatedRelayTests
{
    private Process? _server;
    private int _port;
    private TestGateway _stateless = null!;
    private TestGateway _stateful = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        ServerEverything.RequireInstalled();
        _port = FreePort.Next();
        _server = Process.Start(new ProcessStartInfo("node", [ServerEverything.Script, "streamableHttp"])
        {
            WorkingDirectory = ServerEverything.SampleDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["PORT"] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        })!;
        _server.OutputDataReceived += (_, _) => { };
        _server.ErrorDataReceived += (_, _) => { };
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();

        var routes = FederatedRoutes.With(new RoutesJson(), ("everything", new Uri($"http://127.0.0.1:{_port}/"), """{ "Path": "/mcp" }"""));
        _stateless = await TestGateway.StartAsync(routes);
        _stateful = await TestGateway.StartAsync(routes, new Dictionary<string, string?> { ["Gateway:Mcp:Stateful"] = "true" });
        await FederatedRoutes.WaitForToolAsync(_stateless.Services, "everything__trigger-sampling-request");
        await FederatedRoutes.WaitForToolAsync(_stateful.Services, "everything__trigger-sampling-request");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_server is null)
        {
            return;
        }

        await _stateless.DisposeAsync();
        await _stateful.DisposeAsync();
        _server.Kill(entireProcessTree: true);
        await _server.WaitForExitAsync();
        _server.Dispose();
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task Progress_FromTheUpstream_ReachesTheCallingClientUnderItsOwnToken(bool stateful)
    {
        // A handler for the whole session: the SDK's per-call IProgress stops listening as soon as the answer is read,
        // and may miss the last notification, which is sent just before it.
        var progress = new ConcurrentQueue<JsonNode>();
        await using var client = await ConnectAsync(stateful ? _stateful : _stateless, handlers =>
            handlers.NotificationHandlers = [new(NotificationMethods.ProgressNotification, (notification, _) =>
            {
                progress.Enqueue(notification.Params!.DeepClone());
                return ValueTask.CompletedTask;
            })]);

        var response = await client.SendRequestAsync(new JsonRpcRequest
        {
            Method = RequestMethods.ToolsCall,
            Params = JsonNode.Parse("""{"name":"everything__trigger-long-running-operation","arguments":{"duration":1,"steps":4},"_meta":{"progressToken":"client-token-7"}}"""),
        });
        await WaitUntilAsync(() => progress.Count >= 4);

        Assert.Multiple(() =>
        {
            Assert.That((bool?)response.Result?["isError"], Is.Not.True, response.Result?.ToJsonString());
            Assert.That(progress.Select(p => (double)p["progress"]!), Is.EqualTo(new double[] { 1, 2, 3, 4 }));
            Assert.That(progress.Select(p => (string?)p["progressToken"]), Is.All.EqualTo("client-token-7"));
            Assert.That(progress.Select(p => (double?)p["total"]), Is.All.EqualTo(4));
        });
    }

    [Test]
    public async Task Sampling_InAStatefulSession_IsAnsweredByTheCallingClient()
    {
        await using var client = await ConnectAsync(_stateful, handlers => handlers.SamplingHandler = (request, _, _) =>
            ValueTask.FromResult(new CreateMessageResult
            {
                Model = "client-model",
                Role = Role.Assistant,
                Content = [new TextContentBlock { Text = "sampled for " + ((TextContentBlock)request!.Messages[0].Content[0]).Text }],
            }));

        var result = await client.CallToolAsync("everything__trigger-sampling-request", new Dictionary<string, object?> { ["prompt"] = "the weather" });

        Assert.Multiple(() =>
        {
            Assert.That(result.IsError, Is.Not.True, Text(result));
            Assert.That(Text(result), Does.Contain("client-model").And.Contain("sampled for").And.Contain("the weather"));
        });
    }

    [Test]
    public async Task Elicitation_InAStatefulSession_IsAnsweredByTheCallingClient()
    {
        await using var client = await ConnectAsync(_stateful, handlers => handlers.ElicitationHandler = (request, _) =>
            ValueTask.FromResult(new ElicitResult
            {
                Action = "accept",
                Content = new Dictionary<string, System.Text.Json.JsonElement>
                {
                    ["name"] = System.Text.Json.JsonSerializer.SerializeToElement("Ada Lovelace"),
                    ["check"] = System.Text.Json.JsonSerializer.SerializeToElement(true),
                },
            }));

        var result = await client.CallToolAsync("everything__trigger-elicitation-request");

        Assert.Multiple(() =>
        {
            Assert.That(result.IsError, Is.Not.True, Text(result));
            Assert.That(Text(result), Does.Contain("Ada Lovelace"));
        });
    }

    [Test]
    public async Task Roots_InAStatefulSession_AreTheCallingClients()
    {
        await using var client = await ConnectAsync(_stateful, handlers => handlers.RootsHandler = (_, _) =>
            ValueTask.FromResult(new ListRootsResult { Roots = [new Root { Uri = "file:///work/client-project", Name = "client-project" }] }));

        var result = await client.CallToolAsync("everything__get-roots-list");

        Assert.That(Text(result), Does.Contain("file:///work/client-project").And.Contain("client-project"));
    }

    [Test]
    public async Task LogMessages_OfAClientBoundSession_ReachThatClient()
    {
        var logs = new ConcurrentQueue<string>();
        await using var client = await ConnectAsync(_stateful, handlers =>
        {
            handlers.RootsHandler = (_, _) => ValueTask.FromResult(new ListRootsResult { Roots = [new Root { Uri = "file:///logs", Name = "logs" }] });
            handlers.NotificationHandlers = [new(NotificationMethods.LoggingMessageNotification, (notification, _) =>
            {
                logs.Enqueue(notification.Params?.ToJsonString() ?? string.Empty);
                return ValueTask.CompletedTask;
            })];
        });

        // The server logs "Roots updated: 1 root(s) received from client" once it has the client's roots. Relayed at or
        // above the level the client set (none set: none, as the SDK's own server logging).
        await client.SetLoggingLevelAsync(LoggingLevel.Debug);
        await client.CallToolAsync("everything__get-roots-list");
        await WaitUntilAsync(() => logs.Any(l => l.Contains("Roots updated", StringComparison.Ordinal)));

        Assert.Multiple(() =>
        {
            Assert.That(logs, Has.Some.Contains("1 root(s) received from client"));
            Assert.That(logs.Where(l => l.Contains("Roots updated", StringComparison.Ordinal)),
                Has.All.Contains("\"logger\":\"everything"), "the logger name is prefixed with the server's");
        });
    }

    [Test]
    public async Task LogMessages_OfAClientBoundSession_AreNotRelayed_WhenTheClientSetNoLevel()
    {
        var logs = new ConcurrentQueue<string>();
        await using var client = await ConnectAsync(_stateful, handlers =>
        {
            handlers.RootsHandler = (_, _) => ValueTask.FromResult(new ListRootsResult { Roots = [new Root { Uri = "file:///quiet", Name = "quiet" }] });
            handlers.NotificationHandlers = [new(NotificationMethods.LoggingMessageNotification, (notification, _) =>
            {
                logs.Enqueue(notification.Params?.ToJsonString() ?? string.Empty);
                return ValueTask.CompletedTask;
            })];
        });

        await client.CallToolAsync("everything__get-roots-list");
        await client.CallToolAsync("everything__echo", new Dictionary<string, object?> { ["message"] = "after the roots" });

        Assert.That(logs, Is.Empty);
    }

    [Test]
    public async Task Sampling_ThroughAStatelessGateway_FailsSayingThatStatefulSessionsAreNeeded()
    {
        var asked = 0;
        await using var client = await ConnectAsync(_stateless, handlers => handlers.SamplingHandler = (_, _, _) =>
        {
            Interlocked.Increment(ref asked);
            return ValueTask.FromResult(new CreateMessageResult { Model = "m", Role = Role.Assistant, Content = [new TextContentBlock { Text = "x" }] });
        });

        var result = await client.CallToolAsync("everything__trigger-sampling-request", new Dictionary<string, object?> { ["prompt"] = "hi" });

        Assert.Multiple(() =>
        {
            Assert.That(result.IsError, Is.True);
            Assert.That(Text(result), Does.Contain("asked the client for sampling").And.Contain("Gateway:Mcp:Stateful=true").And.Contain("MCP_GATEWAY_MCP_STATEFUL"));
            Assert.That(asked, Is.Zero);
        });
    }

    [Test]
    public async Task Sampling_FromAClientThatDeclaredNoSampling_FailsSayingWhatItNeeds()
    {
        await using var client = await ConnectAsync(_stateful);

        var result = await client.CallToolAsync("everything__trigger-sampling-request", new Dictionary<string, object?> { ["prompt"] = "hi" });

        Assert.Multiple(() =>
        {
            Assert.That(result.IsError, Is.True);
            Assert.That(Text(result), Does.Contain("declared the sampling capability"));
        });
    }

    [Test]
    public async Task ClientBoundSessions_CloseWithTheirDownstreamSession()
    {
        var sessions = _stateful.Services.GetRequiredService<ClientBoundSessions>();
        var before = sessions.Count;
        var client = await ConnectAsync(_stateful, handlers => handlers.RootsHandler = (_, _) => ValueTask.FromResult(new ListRootsResult { Roots = [] }));
        await client.CallToolAsync("everything__echo", new Dictionary<string, object?> { ["message"] = "hi" });
        var during = sessions.Count;

        await client.DisposeAsync();
        await WaitUntilAsync(() => sessions.Count == before);

        Assert.That(during, Is.EqualTo(before + 1));
    }

    [Test]
    public async Task EveryContentKind_IsRelayedExactly()
    {
        await using var direct = await McpClient.CreateAsync(new HttpClientTransport(
            new HttpClientTransportOptions { Endpoint = new Uri($"http://127.0.0.1:{_port}/mcp") }, loggerFactory: null));
        await using var viaGateway = await ConnectAsync(_stateless);
        (string Tool, Dictionary<string, object?> Arguments)[] calls =
        [
            ("echo", new() { ["message"] = "hi" }),
            ("get-tiny-image", new()),
            ("get-annotated-message", new() { ["messageType"] = "error", ["includeImage"] = true }),
            ("get-resource-reference", new() { ["resourceType"] = "Blob", ["resourceId"] = 2 }),
            ("get-resource-links", new() { ["count"] = 3 }),
            ("get-structured-content", new() { ["location"] = "Chicago" }),
            ("gzip-file-as-resource", new() { ["name"] = "small.txt.gz", ["data"] = "data:text/plain;base64,aGVsbG8=", ["outputType"] = "resource" }),
        ];

        foreach (var (tool, arguments) in calls)
        {
            var expected = await RawCallAsync(direct, tool, arguments);
            // Resource URIs come back in the gateway's own form (mcp-gateway://<server>/<upstream URI>), which is how
            // a client reads them through the gateway; otherwise the result is the upstream's.
            var relayed = JsonNode.Parse((await RawCallAsync(viaGateway, "everything__" + tool, arguments)).ToJsonString()
                .Replace("mcp-gateway://everything/", string.Empty, StringComparison.Ordinal))!.AsObject();
            // Same JSON value (the gateway writes an object's properties in its own order).
            Assert.That(JsonNode.DeepEquals(relayed, expected), Is.True, $"{tool}: relayed {relayed.ToJsonString()} but the upstream sent {expected.ToJsonString()}");
        }
    }

    /// <summary>
    /// The result as JSON, as sent (SDK 2.4.0's own CallToolAsync cannot read annotated content blocks), without the
    /// protocol's <c>_meta</c> and <c>resultType</c>.
    /// </summary>
    private static async Task<JsonObject> RawCallAsync(McpClient client, string tool, Dictionary<string, object?> arguments)
    {
        var response = await client.SendRequestAsync(new JsonRpcRequest
        {
            Method = RequestMethods.ToolsCall,
            Params = new JsonObject { ["name"] = tool, ["arguments"] = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(arguments)) },
        });
        var result = response.Result!.AsObject();
        result.Remove("_meta");
        result.Remove("resultType");
        return result;
    }

    private static async Task<McpClient> ConnectAsync(TestGateway gateway, Action<McpClientHandlers>? handlers = null)
    {
        // 2025-11-25: an initialize handshake, hence a stateful session on a stateful gateway (2026-07-28 clients have none).
        var options = new McpClientOptions { ProtocolVersion = "2025-11-25", Handlers = new McpClientHandlers() };
        handlers?.Invoke(options.Handlers);
        return await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = gateway.McpEndpoint }, loggerFactory: null), options);
    }

    private static string Text(CallToolResult result) => string.Join("\n", result.Content.OfType<TextContentBlock>().Select(t => t.Text));

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(25);
        }
    }
}
