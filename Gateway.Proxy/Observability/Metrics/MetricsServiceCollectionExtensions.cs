using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;

namespace Gateway.Proxy.Observability.Metrics;

public static class MetricsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="GatewayMetrics"/> and an OpenTelemetry meter provider that exports it, with the ASP.NET Core,
    /// Kestrel, HttpClient and runtime meters, to the Prometheus exporter. Map the scrape endpoint with
    /// <see cref="MetricsEndpoint.MapPrometheusMetrics"/>.
    /// </summary>
    public static IServiceCollection AddGatewayMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<GatewayMetrics>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(GatewayMetrics.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter(static prometheus =>
            {
                // A scrape reads the values of that moment: a cached response would hide the first event of an
                // alerted-on counter from a scrape that follows it closely.
                prometheus.ScrapeResponseCacheDurationMilliseconds = 0;
                // otel_scope_* labels on every series would change every series' label set from what dashboards and
                // alert rules select; target_info would add a family that no rule uses.
                prometheus.ScopeInfoEnabled = false;
                prometheus.TargetInfoEnabled = false;
            }));
        services.ConfigureOpenTelemetryMeterProvider(static (provider, builder) =>
            builder.AddView(new MetricViews(provider.GetRequiredService<IMeterFactory>()).Select));
        return services;
    }
}
