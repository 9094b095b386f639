namespace Gateway.Proxy.Observability.Metrics;

/// <summary>The Prometheus scrape endpoint of the OpenTelemetry exporter that <see cref="MetricsServiceCollectionExtensions.AddGatewayMetrics"/> registers.</summary>
public static class MetricsEndpoint
{
    public const string DefaultPattern = "/metrics";

    public static IEndpointConventionBuilder MapPrometheusMetrics(this IEndpointRouteBuilder endpoints, string pattern = DefaultPattern) =>
        endpoints.MapPrometheusScrapingEndpoint(pattern).WithDisplayName("Prometheus metrics");
}
