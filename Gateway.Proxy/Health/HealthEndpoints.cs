using System.Diagnostics;
using System.Text.Json.Serialization;
using Gateway.Proxy.Configuration;
using Gateway.Proxy.Hosting;
using Gateway.Proxy.Observability.Metrics;
using Gateway.Proxy.Security.Authorization;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Health;

/// <summary>
/// <c>GET /health</c>: liveness. Cheap and dependency-free, so a slow backend can never restart the pod. Anyone gets the
/// status; operators (management listener, operator role) also the version and uptime.
/// </summary>
public static class HealthEndpoints
{
    private static readonly long s_startedAt = Stopwatch.GetTimestamp();

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health", (HttpContext context, IOptions<GatewayOptions> options, OperatorAccess access) =>
        {
            context.Response.Headers.CacheControl = "no-store";

            // The version and uptime help an attacker pick exploits and time restarts: operators only.
            var report = access.ShowsDetail(context)
                ? new HealthReport(options.Value.ServiceName, "healthy", GatewayBuildInfo.Current.Version, (long)Stopwatch.GetElapsedTime(s_startedAt).TotalSeconds)
                : new HealthReport(options.Value.ServiceName, "healthy");
            return TypedResults.Json(report, HealthJsonContext.Default.HealthReport);
        }).AsProbeEndpoint();
        return endpoints;
    }
}

public sealed record HealthReport(
    [property: JsonPropertyName("service")] string Service,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("version"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Version = null,
    [property: JsonPropertyName("uptime_seconds"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? UptimeSeconds = null);

[JsonSerializable(typeof(HealthReport))]
internal sealed partial class HealthJsonContext : JsonSerializerContext;
