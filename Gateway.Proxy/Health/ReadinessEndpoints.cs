using System.Text.Json;
using Gateway.Proxy.Hosting;
using Gateway.Proxy.Security.Authorization;

namespace Gateway.Proxy.Health;

/// <summary>
/// <c>GET /ready</c> (503 when any check is unhealthy, so the ingress stops routing here) and
/// <c>GET /status/health</c> (HEALTHY / DEGRADED / UNHEALTHY for humans and dashboards).
/// </summary>
public static class ReadinessEndpoints
{
    public static IEndpointRouteBuilder MapReadiness(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/ready", async (HttpContext context, IEnumerable<IReadinessCheck> checks, OperatorAccess access) =>
        {
            var (overall, results) = await RunAsync(checks, context.RequestAborted);
            context.Response.StatusCode = overall == ReadinessStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;

            // Details name files, addresses, clusters and key counts: operators only; a probe needs the states.
            await WriteAsync(context, overall switch
            {
                ReadinessStatus.Healthy => "ready",
                ReadinessStatus.Degraded => "degraded",
                _ => "not_ready",
            }, results, withDetail: access.ShowsDetail(context));
        }).AsProbeEndpoint();

        endpoints.MapGet("/status/health", async (HttpContext context, IEnumerable<IReadinessCheck> checks) =>
        {
            var (overall, results) = await RunAsync(checks, context.RequestAborted);
            await WriteAsync(context, overall.ToString().ToUpperInvariant(), results, withDetail: true);
        }).AsOperatorEndpoint();

        return endpoints;
    }

    public static async Task<(ReadinessStatus Overall, List<(string Name, ReadinessResult Result)> Results)> RunAsync(
        IEnumerable<IReadinessCheck> checks, CancellationToken cancellationToken)
    {
        var results = new List<(string, ReadinessResult)>();
        var overall = ReadinessStatus.Healthy;
        foreach (var check in checks)
        {
            ReadinessResult result;
            try
            {
                result = await check.CheckAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                result = ReadinessResult.Unhealthy($"check failed: {ex.Message}");
            }

            results.Add((check.Name, result));
            overall = (ReadinessStatus)Math.Max((int)overall, (int)result.Status);
        }

        return (overall, results);
    }

    private static async Task WriteAsync(HttpContext context, string status, List<(string Name, ReadinessResult Result)> results, bool withDetail)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("status", status);
        writer.WriteStartObject("checks");
        foreach (var (name, result) in results)
        {
            writer.WriteStartObject(name);
            writer.WriteString("status", result.Status.ToString().ToLowerInvariant());
            if (withDetail && result.Detail is not null)
            {
                writer.WriteString("detail", result.Detail);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
