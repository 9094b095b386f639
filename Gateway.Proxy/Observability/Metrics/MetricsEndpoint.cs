using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gateway.Proxy.Observability.Metrics;

/// <summary>Serves <see cref="PrometheusMetricsCollector"/> scrapes over HTTP.</summary>
public static class MetricsEndpoint
{
    public const string DefaultPattern = "/metrics";

    public static IEndpointConventionBuilder MapPrometheusMetrics(this IEndpointRouteBuilder endpoints, string pattern = DefaultPattern) =>
        endpoints.MapGet(pattern, WriteAsync).WithDisplayName("Prometheus metrics");

    public static Task WriteAsync(HttpContext context)
    {
        var collector = context.RequestServices.GetRequiredService<PrometheusMetricsCollector>();
        var text = collector.Scrape();
        context.Response.ContentType = PrometheusTextWriter.ContentType;
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(text, Encoding.UTF8, context.RequestAborted);
    }
}
