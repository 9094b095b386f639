using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Gateway.Bench;

/// <summary>
/// The upstream MCP server of the federated rows: the C# SDK's MapMcp on Kestrel in the harness process, stateless (so
/// the direct row can POST tools/call without a session), with one tool answering the backend's fixed document.
/// </summary>
internal static class BenchMcpUpstream
{
    public const string Tool = "search";

    private const string Answer = """{"ok":true,"results":[{"id":"doc-1","score":0.91},{"id":"doc-2","score":0.87}]}""";

    public static async Task<(WebApplication App, Uri Address)> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddMcpServer(o => o.ServerInfo = new Implementation { Name = "bench-upstream", Version = "1.0" })
            .WithHttpTransport(o => o.SessionMode = HttpServerSessionMode.Stateless)
            .WithTools([McpServerTool.Create((string query, int top_k) => Answer,
                new McpServerToolCreateOptions { Name = Tool, Description = "Benchmark tool: answers a fixed search result.", ReadOnly = true })]);
        var app = builder.Build();
        app.MapMcp("/mcp");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return (app, new Uri(address + "/"));
    }
}
