using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Server;

namespace Gateway.Proxy.Mcp;

/// <summary>The MCP front: the SDK's <c>MapMcp</c> on /mcp behind <see cref="McpRequestGate"/>, and legacy SSE.</summary>
public static class McpFrontExtensions
{
    public static IServiceCollection AddMcpFront(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.TryAddSingleton<McpCapacity>();
        services.TryAddSingleton<McpStatefulSessions>();
        services.TryAddSingleton<McpToolCallFastPath>();
        services.TryAddSingleton<McpRequestGate>();
        services.TryAddSingleton<LegacySseEndpoint>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<McpServerOptions>, McpServerSetup>());
        services.AddMcpServer().WithHttpTransport();
        services.AddOptions<HttpServerTransportOptions>().Configure<IOptions<McpOptions>, McpStatefulSessions>(ConfigureTransport);
        return services;
    }

    public static IEndpointRouteBuilder MapMcpFront(this IEndpointRouteBuilder endpoints)
    {
        var services = endpoints.ServiceProvider;
        var gate = services.GetRequiredService<McpRequestGate>();
        endpoints.MapMcp("/mcp").Add(endpoint =>
        {
            if (endpoint.RequestDelegate is { } sdk)
            {
                endpoint.RequestDelegate = gate.Wrap(sdk);
            }
        });

        if (services.GetRequiredService<IOptions<McpOptions>>().Value.EnableLegacySse)
        {
            var sse = services.GetRequiredService<LegacySseEndpoint>();
            endpoints.MapGet("/sse", sse.HandleStreamAsync);
            endpoints.MapPost("/messages", sse.HandleMessageAsync);
        }

        return endpoints;
    }

    private static void ConfigureTransport(HttpServerTransportOptions transport, IOptions<McpOptions> options, McpStatefulSessions sessions)
    {
        var mcp = options.Value;

        // Stateful serves sessions to initialize clients only; 2026-07-28 requests carry no session and stay stateless.
        transport.SessionMode = mcp.Stateful ? HttpServerSessionMode.StatefulForInitializeClients : HttpServerSessionMode.Stateless;
#pragma warning disable MCP9006 // Session idle timeout of the stateful (initialize-handshake) transport, which Gateway:Mcp:Stateful keeps.
        transport.IdleTimeout = mcp.SessionIdleTimeout;
#pragma warning restore MCP9006
#pragma warning disable MCPEXP002 // The only hook that sees a session start and end: capacity slots and list_changed need both.
        transport.RunSessionHandler = sessions.RunAsync;
#pragma warning restore MCPEXP002
    }
}
