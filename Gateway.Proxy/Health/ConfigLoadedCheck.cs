using Gateway.Proxy.Configuration;
using Gateway.Transforms.Catalog;

namespace Gateway.Proxy.Health;

/// <summary>
/// Ready only once routes.json has been loaded; degraded (still ready: the last good configuration serves) while the
/// file on disk was rejected or cannot be read, saying when and why.
/// </summary>
public sealed class ConfigLoadedCheck(RoutesFileConfigProvider routes, ToolCatalogHolder catalog) : IReadinessCheck
{
    public string Name => "config";

    public ValueTask<ReadinessResult> CheckAsync(CancellationToken cancellationToken)
    {
        if (!routes.IsLoaded)
        {
            return ValueTask.FromResult(ReadinessResult.Unhealthy("routes.json is not loaded"));
        }

        var serving = $"generation {catalog.Current.Generation}, {catalog.Current.Tools.Count} tools";
        if (routes.PendingFailure is not { } failure)
        {
            return ValueTask.FromResult(ReadinessResult.Healthy(serving));
        }

        var more = failure.Errors.Count > 1 ? $" (+{failure.Errors.Count - 1} more in the log, event 102)" : "";
        return ValueTask.FromResult(ReadinessResult.Degraded(
            $"serving the last good configuration ({serving}); the change to routes.json at {failure.At:yyyy-MM-ddTHH:mm:ssZ} was rejected: {failure.Errors[0]}{more}"));
    }
}
