using Yarp.ReverseProxy.Model;

namespace Gateway.Proxy.Security;

/// <summary>Composition hooks for security; called by the gateway host in a fixed order.</summary>
public static class GatewaySecurityExtensions
{
    public static IServiceCollection AddGatewaySecurity(this IServiceCollection services, IConfiguration configuration) => services;

    /// <summary>Application middleware, before routing.</summary>
    public static WebApplication UseGatewaySecurity(this WebApplication app) => app;

    /// <summary>Endpoints of this area (e.g. metadata documents).</summary>
    public static IEndpointRouteBuilder MapGatewaySecurity(this IEndpointRouteBuilder endpoints) => endpoints;

    /// <summary>Proxy-pipeline middleware, after the gateway steps and before load balancing.</summary>
    public static IReverseProxyApplicationBuilder UseGatewaySecurity(this IReverseProxyApplicationBuilder proxy) => proxy;
}
