using System.Diagnostics;
using Gateway.Proxy.Configuration;
using Gateway.Proxy.Observability.Metrics;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Health;

/// <summary><c>GET /health</c>: liveness. Cheap and dependency-free, so a slow backend can never restart the pod.</summary>
public static class HealthEndpoints
{
    private static readonly long s_startedAt = Stopwatch.GetTimestamp();

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health", (IOptions<GatewayOptions> options) => TypedResults.Json(
            new HealthReport(options.Value.ServiceName, GatewayBuildInfo.Current.Version, "healthy", (long)Stopwatch.GetElapsedTime(s_startedAt).TotalSeconds),
            HealthJsonContext.Default.HealthReport));
        return endpoints;
    }
}

public sealed record HealthReport(
    [property: System.Text.Json.Serialization.JsonPropertyName("service")] string Service,
    [property: System.Text.Json.Serialization.JsonPropertyName("version")] string Version,
    [property: System.Text.Json.Serialization.JsonPropertyName("status")] string Status,
    [property: System.Text.Json.Serialization.JsonPropertyName("uptime_seconds")] long UptimeSeconds);

[System.Text.Json.Serialization.JsonSerializable(typeof(HealthReport))]
internal sealed partial class HealthJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
