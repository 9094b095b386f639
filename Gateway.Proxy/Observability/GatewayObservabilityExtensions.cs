using Gateway.Proxy.Health;
using Gateway.Proxy.Hosting;
using Gateway.Proxy.Mcp;
using Gateway.Proxy.Observability.Audit;
using Gateway.Proxy.Observability.Metrics;
using Gateway.Transforms.Pipeline;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Serilog;

namespace Gateway.Proxy.Observability;

/// <summary>Composition of metrics, the audit trail, request ids, tracing, readiness and status.</summary>
public static class GatewayObservabilityExtensions
{
    public static IServiceCollection AddGatewayObservability(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuditOptions>().Bind(configuration.GetSection("Gateway:Audit"));
        services.AddGatewayMetrics();
        services.AddGatewayOtlpExport(configuration);
        services.AddAuditTrail();
        services.TryAddSingleton<ClusterStatistics>();
        services.TryAddSingleton<McpBackendProbe>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IGatewayCallObserver, AuditCallObserver>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IGatewayCallObserver, MetricsCallObserver>());
        services.AddHostedService<TraceContextListener>();
        services.AddHostedService<MetricSeriesSeeder>();
        services.TryAddSingleton<McpBackendMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<McpBackendMonitor>());
        // Not AddReverseProxy() again: YARP registers its services once, from AddMcpGateway.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Yarp.ReverseProxy.Transforms.Builder.ITransformProvider, RequestIdTransformProvider>());

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReadinessCheck, ConfigLoadedCheck>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReadinessCheck, AuditSinkCheck>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReadinessCheck, BackendsCheck>());
        return services;
    }

    public static WebApplication UseGatewayObservability(this WebApplication app)
    {
        app.UseMiddleware<RequestTelemetryMiddleware>();
        app.UseSerilogRequestLogging(options =>
        {
            // The host's logger, not the static Log.Logger, which the gateway leaves alone (several hosts may share a process).
            options.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
            options.MessageTemplate = RequestLog.MessageTemplate;
            options.EnrichDiagnosticContext = RequestLog.Enrich;
            options.GetLevel = RequestLog.GetLevel;
        });
        // Open sessions and streams are reported by McpCapacity.

        // Config reloads, backend up/down and circuit states are reported by the resilience area (ResilienceTelemetry).
        return app;
    }

    public static IEndpointRouteBuilder MapGatewayObservability(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPrometheusMetrics().AsOperatorEndpoint();
        endpoints.MapReadiness();
        endpoints.MapStatus();
        return endpoints;
    }
}
