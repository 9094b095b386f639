using Yarp.ReverseProxy.Model;

namespace Gateway.Proxy.Resilience;

/// <summary>Composition hooks for resilience; called by the gateway host in a fixed order.</summary>
public static class GatewayResilienceExtensions
{
    public static IServiceCollection AddGatewayResilience(this IServiceCollection services, IConfiguration configuration) => services;

    /// <summary>Application middleware, before routing.</summary>
    public static WebApplication UseGatewayResilience(this WebApplication app) => app;

    /// <summary>Endpoints of this area (e.g. metadata documents).</summary>
    public static IEndpointRouteBuilder MapGatewayResilience(this IEndpointRouteBuilder endpoints) => endpoints;

    /// <summary>Proxy-pipeline middleware, after the gateway steps and before load balancing.</summary>
    public static IReverseProxyApplicationBuilder UseGatewayResilience(this IReverseProxyApplicationBuilder proxy) => proxy;
}
