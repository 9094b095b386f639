namespace Gateway.Proxy.Observability.Metrics;

public static class MetricsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="GatewayMetrics"/> and the <see cref="PrometheusMetricsCollector"/> as singletons; the
    /// collector starts listening when the host starts. Map the scrape endpoint with
    /// <see cref="MetricsEndpoint.MapPrometheusMetrics"/>.
    /// </summary>
    public static IServiceCollection AddGatewayMetrics(this IServiceCollection services, Action<PrometheusExporterOptions>? configure = null)
    {
        services.AddMetrics();
        var options = services.AddOptions<PrometheusExporterOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<PrometheusMetricsCollector>();
        services.AddHostedService<PrometheusCollectorActivator>();
        return services;
    }
}
