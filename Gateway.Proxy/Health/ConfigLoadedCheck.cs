using Gateway.Proxy.Configuration;
using Gateway.Transforms.Catalog;

namespace Gateway.Proxy.Health;

/// <summary>Ready only once routes.json has been loaded.</summary>
public sealed class ConfigLoadedCheck(RoutesFileConfigProvider routes, ToolCatalogHolder catalog) : IReadinessCheck
{
    public string Name => "config";

    public ValueTask<ReadinessResult> CheckAsync(CancellationToken cancellationToken) => ValueTask.FromResult(routes.IsLoaded
        ? ReadinessResult.Healthy($"generation {catalog.Current.Generation}, {catalog.Current.Tools.Count} tools")
        : ReadinessResult.Unhealthy("routes.json is not loaded"));
}
