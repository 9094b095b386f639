using Yarp.ReverseProxy.Model;

namespace Gateway.Proxy.RateLimiting;

/// <summary>Composition hooks for ratelimiting; called by the gateway host in a fixed order.</summary>
public static class GatewayRateLimitingExtensions
{
    public static IServiceCollection AddGatewayRateLimiting(this IServiceCollection services, IConfiguration configuration) => services;

    /// <summary>Application middleware, before routing.</summary>
    public static WebApplication UseGatewayRateLimiting(this WebApplication app) => app;

    /// <summary>Endpoints of this area (e.g. metadata documents).</summary>
    public static IEndpointRouteBuilder MapGatewayRateLimiting(this IEndpointRouteBuilder endpoints) => endpoints;

    /// <summary>Proxy-pipeline middleware, after the gateway steps and before load balancing.</summary>
    public static IReverseProxyApplicationBuilder UseGatewayRateLimiting(this IReverseProxyApplicationBuilder proxy) => proxy;
}
