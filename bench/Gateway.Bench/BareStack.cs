using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Bench;

/// <summary>
/// The floor of this stack: Kestrel with YARP forwarding <c>/bench/{**rest}</c>, and the MCP SDK's stateless
/// <c>MapMcp</c> with one tool that POSTs its arguments to the backend, and nothing else (no guards, audit, metrics,
/// tracing or logging). Run as its own process (<c>Gateway.Bench --serve-bare-stack URL BACKEND</c>) with the gateway's
/// GC settings, it shows what any gateway built on ASP.NET Core, YARP and the MCP SDK pays before doing its own work.
/// </summary>
internal static class BareStack
{
    public const string Command = "--serve-bare-stack";

    private static HttpClient? s_backend;

    public static async Task<int> RunAsync(string url, Uri backend)
    {
        s_backend = new HttpClient { BaseAddress = backend };
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        builder.Services.AddReverseProxy().LoadFromMemory(
            [new RouteConfig { RouteId = "bench", ClusterId = "backend", Match = new RouteMatch { Path = "/bench/{**rest}" }, Transforms = [new Dictionary<string, string> { ["PathPattern"] = "/{**rest}" }] }],
            [new ClusterConfig { ClusterId = "backend", Destinations = new Dictionary<string, DestinationConfig> { ["d1"] = new() { Address = backend.ToString() } } }]);
        builder.Services.AddMcpServer(o => o.ServerInfo = new Implementation { Name = "bare-stack", Version = "1.0" })
            .WithHttpTransport(o => o.SessionMode = HttpServerSessionMode.Stateless)
            .WithTools([McpServerTool.Create(SearchAsync, new McpServerToolCreateOptions { Name = "bench_search", Description = "POST /echo with the arguments as JSON." })]);
        var app = builder.Build();
        app.MapGet("/ready", () => "ready");
        app.MapReverseProxy();
        app.MapMcp("/mcp");
        await app.RunAsync();
        return 0;
    }

    private static async Task<string> SearchAsync(string query, int top_k, CancellationToken cancellationToken)
    {
        using var content = new StringContent($$"""{"query":{{System.Text.Json.JsonSerializer.Serialize(query)}},"top_k":{{top_k}}}""", Encoding.UTF8, "application/json");
        using var answer = await s_backend!.PostAsync("echo", content, cancellationToken);
        answer.EnsureSuccessStatusCode();
        return await answer.Content.ReadAsStringAsync(cancellationToken);
    }
}
