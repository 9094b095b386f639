using Gateway.Proxy.Observability.Audit;
using Gateway.Proxy.Observability.Metrics;

namespace Gateway.Proxy.Observability;

/// <summary>Composition of metrics, the audit trail, request ids and structured logging.</summary>
public static class GatewayObservabilityExtensions
{
    public static IServiceCollection AddGatewayObservability(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddGatewayMetrics();
        services.AddAuditTrail();
        services.AddOptions<AuditOptions>().Bind(configuration.GetSection("Gateway:Audit"));
        return services;
    }

    public static WebApplicationBuilder AddGatewayLogging(this WebApplicationBuilder builder) => builder;

    public static WebApplication UseGatewayObservability(this WebApplication app) => app;

    public static IEndpointRouteBuilder MapGatewayObservability(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPrometheusMetrics();
        return endpoints;
    }
}
