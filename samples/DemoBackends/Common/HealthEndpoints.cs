namespace DemoBackends.Common;

public sealed record HealthStatus(string Status, string Service);

internal static class HealthEndpoints
{
    public const string Path = "/health";

    public static void MapHealth(this IEndpointRouteBuilder endpoints, string service)
    {
        var healthy = new HealthStatus("healthy", service);
        endpoints.MapGet(Path, () => Results.Json(healthy, DemoJson.Context.HealthStatus));
    }
}
