using Gateway.Proxy.Configuration;
using Gateway.Proxy.Health;
using Gateway.Proxy.Observability;
using Gateway.Proxy.Mcp;
using Gateway.Proxy.Pipeline;
using Gateway.Proxy.RateLimiting;
using Gateway.Proxy.Resilience;
using Gateway.Proxy.Security;
using Gateway.Proxy.Rest;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Hosting;

public static class GatewayEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps /mcp, the legacy SSE endpoints, the REST facade, health, and YARP with the gateway pipeline.
    /// routes.json must have been loaded first (<see cref="RoutesFileConfigProvider.LoadInitialAsync"/>).
    /// </summary>
    public static IEndpointRouteBuilder MapMcpGateway(this IEndpointRouteBuilder endpoints)
    {
        var services = endpoints.ServiceProvider;
        var routes = services.GetService<RoutesFileConfigProvider>()
            ?? throw new InvalidOperationException("Call services.AddMcpGateway(configuration) before MapMcpGateway().");
        if (!routes.IsLoaded)
        {
            throw new InvalidOperationException("Load routes.json (RoutesFileConfigProvider.LoadInitialAsync) before MapMcpGateway().");
        }

        endpoints.MapMcpFront();

        endpoints.MapToolsFacade();
        endpoints.MapHealth();
        endpoints.MapGatewayObservability();
        endpoints.MapGatewaySecurity();
        endpoints.MapGatewayRateLimiting();
        endpoints.MapGatewayResilience();
        endpoints.MapReverseProxy(proxy =>
        {
            proxy.UseMiddleware<GatewayPipelineMiddleware>();
            proxy.UseGatewaySecurity();
            proxy.UseGatewayRateLimiting();
            proxy.UseGatewayResilience();
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        return endpoints;
    }
}
