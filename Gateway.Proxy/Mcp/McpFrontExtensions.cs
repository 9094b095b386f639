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
        services.TryAddSingleton<ListenStreams>();
        services.TryAddSingleton<McpEventStore>();
        services.TryAddSingleton<McpToolCallFastPath>();
        services.TryAddSingleton<McpRequestGate>();
        services.TryAddSingleton<LegacySseEndpoint>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<McpServerOptions>, McpServerSetup>());
        services.AddMcpServer().WithHttpTransport();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<HttpServerTransportOptions>, McpTransportSetup>());
        return services;
    }

    public static IEndpointRouteBuilder MapMcpFront(this IEndpointRouteBuilder endpoints)
    {
        var services = endpoints.ServiceProvider;
        var gate = services.GetRequiredService<McpRequestGate>();
        // Wrapping the SDK's endpoint delegates (rather than a path-matching middleware) runs the gate exactly for the
        // requests MapMcp serves, after authentication and the Origin/Host rule.
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
}
