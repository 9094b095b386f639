using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Gateway.Tests.Federation;

/// <summary>
/// A real upstream MCP server: the C# SDK's MapMcp on Kestrel (127.0.0.1, a fixed port so it can be restarted in place),
/// stateful, with a tool per content kind, resources (a static one and a template, subscribable), a prompt with
/// completions, and a record of every request's headers.
/// </summary>
public sealed partial class CSharpUpstream : IAsyncDisposable
{
    public const string TinyPng = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
    public const string TinyWav = "UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQAAAAA=";

    private WebApplication? _app;

    private readonly bool _stateless;
    private readonly bool _refusesInitialize;

    private CSharpUpstream(int port, string label, bool stateless, bool refusesInitialize = false)
    {
        _refusesInitialize = refusesInitialize;
        Port = port;
        Label = label;
        _stateless = stateless;
    }

    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}/");

    /// <summary>Every POST the server received (JSON-RPC method and headers), oldest first.</summary>
    public ConcurrentQueue<UpstreamRequest> Requests { get; } = new();

    public int Count(string method) => Requests.Count(r => r.Method == method);

    /// <summary>Each time the <c>slow</c> tool saw its CancellationToken fire.</summary>
    public ConcurrentQueue<DateTimeOffset> Cancelled { get; } = new();

    /// <param name="label">Put into its resources' and prompts' text, to tell two upstreams with the same URIs apart.</param>
    /// <param name="stateless">Serve without sessions (the SDK's stateless mode: no Mcp-Session-Id, no GET stream).</param>
    public static async Task<CSharpUpstream> StartAsync(int? port = null, string label = "csharp", bool stateless = false)
    {
        var upstream = new CSharpUpstream(port ?? FreePort.Next(), label, stateless);
        await upstream.StartAgainAsync();
        return upstream;
    }

    /// <summary>
    /// A server of the 2026-07-28 revision only: sessionless, and the initialize handshake of earlier revisions is
    /// answered with a JSON-RPC error naming the one version it speaks.
    /// </summary>
    public static async Task<CSharpUpstream> StartSessionlessOnlyAsync()
    {
        var upstream = new CSharpUpstream(FreePort.Next(), "csharp", stateless: true, refusesInitialize: true);
        await upstream.StartAgainAsync();
        return upstream;
    }

    /// <summary>Starts (again, after <see cref="StopAsync"/>) on the same port, with no memory of earlier sessions.</summary>
    public async Task StartAgainAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(Address.ToString().TrimEnd('/'));
        builder.Logging.ClearProviders();
        builder.Services.AddMcpServer(o =>
            {
                o.ServerInfo = new Implementation { Name = "csharp-upstream", Version = "1.0" };
                ConfigurePrimitives(o);
            })
            .WithHttpTransport(o =>
            {
                o.SessionMode = _stateless ? HttpServerSessionMode.Stateless : HttpServerSessionMode.Stateful;
                if (!_stateless)
                {
#pragma warning disable MCPEXP002 // The session's own server, to send notifications outside any request.
                    o.RunSessionHandler = RunSessionAsync;
#pragma warning restore MCPEXP002
                }
            })
            .WithTools(Tools(Cancelled));
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            if (HttpMethods.IsPost(context.Request.Method))
            {
                context.Request.EnableBuffering();
                var message = await JsonNode.ParseAsync(context.Request.Body);
                context.Request.Body.Position = 0;
                Requests.Enqueue(new UpstreamRequest(
                    (string?)message?["method"],
                    context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
                if (_refusesInitialize && (string?)message?["method"] == "initialize")
                {
                    context.Response.ContentType = "application/json";
                    await context.Response.WriteAsync(new JsonObject
                    {
                        ["jsonrpc"] = "2.0",
                        ["id"] = message!["id"]?.DeepClone(),
                        ["error"] = new JsonObject { ["code"] = -32602, ["message"] = "Unsupported protocol version", ["data"] = new JsonObject { ["supported"] = new JsonArray("2026-07-28") } },
                    }.ToJsonString());
                    return;
                }
            }

            await next();
        });
        app.MapMcp("/mcp");
        await app.StartAsync();
        _app = app;
    }

    /// <summary>Adds a tool while running; the SDK tells open sessions with notifications/tools/list_changed.</summary>
    public void AddTool(string name) =>
        _app!.Services.GetRequiredService<IOptions<McpServerOptions>>().Value.ToolCollection!.Add(
            McpServerTool.Create((string text) => "added: " + text, new McpServerToolCreateOptions { Name = name, Description = "Added at run time." }));

    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private static IEnumerable<McpServerTool> Tools(ConcurrentQueue<DateTimeOffset> cancelled)
    {
        yield return McpServerTool.Create((string text) => "echo: " + text,
            new McpServerToolCreateOptions { Name = "echo", Description = "Echoes the text.", Title = "Echo", ReadOnly = true });
        yield return McpServerTool.Create((string query) => "ran: " + query,
            new McpServerToolCreateOptions { Name = "cypher", Description = "Runs a Cypher query." });
        yield return McpServerTool.Create(() => new CallToolResult
        {
            Content =
            [
                new TextContentBlock { Text = "every kind" },
                ImageContentBlock.FromBytes(Convert.FromBase64String(TinyPng), "image/png"),
                AudioContentBlock.FromBytes(Convert.FromBase64String(TinyWav), "audio/wav"),
                new EmbeddedResourceBlock { Resource = new TextResourceContents { Uri = "test://doc/1", MimeType = "text/plain", Text = "embedded text" } },
                new ResourceLinkBlock { Uri = "test://doc/2", Name = "doc-2", MimeType = "text/plain" },
            ],
            StructuredContent = JsonNode.Parse("""{"city":"Chicago","temperature":21.5}""") is { } node ? JsonSerializer.SerializeToElement(node) : null,
        }, new McpServerToolCreateOptions { Name = "all_content", Description = "Returns one block of every content kind.", UseStructuredContent = true, OutputSchema = JsonSerializer.SerializeToElement(JsonNode.Parse("""{"type":"object","properties":{"city":{"type":"string"},"temperature":{"type":"number"}}}""")) });
        yield return McpServerTool.Create(() => new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = "upstream says no" }] },
            new McpServerToolCreateOptions { Name = "fails", Description = "Always an isError result." });
        yield return McpServerTool.Create((int bytes) => new string('x', bytes),
            new McpServerToolCreateOptions { Name = "big", Description = "Returns that many bytes of text.", ReadOnly = true });
        yield return McpServerTool.Create(async (int ms, CancellationToken cancellationToken) =>
            {
                using var observe = cancellationToken.Register(() => cancelled.Enqueue(DateTimeOffset.UtcNow));
                await Task.Delay(ms, cancellationToken);
                return "slept";
            },
            new McpServerToolCreateOptions { Name = "slow", Description = "Answers after that many milliseconds." });
        yield return McpServerTool.Create(async (int count, RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken) =>
            {
                // Back to back, the last one just before the answer: what the SDK client delivers concurrently.
                for (var step = 1; step <= count && request.Params?.ProgressToken is { } token; step++)
                {
                    await request.Server.NotifyProgressAsync(token, new ProgressNotificationValue { Progress = step, Total = count }, cancellationToken: cancellationToken);
                }

                return "reported " + count;
            },
            new McpServerToolCreateOptions { Name = "progress_burst", Description = "Reports progress 1..count of count without pausing, then answers." });
        yield return McpServerTool.Create(() => "secret environment",
            new McpServerToolCreateOptions { Name = "get_env", Description = "Leaks the environment." });
    }
}

public sealed record UpstreamRequest(string? Method, IReadOnlyDictionary<string, string> Headers);
