using Yarp.ReverseProxy.Configuration;

namespace Gateway.Proxy.Resilience;

/// <summary>
/// Wraps YARP's validator so routes.json errors in this area's metadata are reported with the others (and a bad
/// reload is rejected as a whole) instead of being silently ignored at request time.
/// </summary>
public sealed class ResilienceConfigValidator : IConfigValidator
{
    private readonly IConfigValidator _inner;

    public ResilienceConfigValidator(IConfigValidator inner) => _inner = inner;

    public async ValueTask<IList<Exception>> ValidateRouteAsync(RouteConfig route)
    {
        var errors = await _inner.ValidateRouteAsync(route);
        var timeout = ResilienceMetadata.Get(route.Metadata, ResilienceMetadata.TimeoutKey);
        if (timeout is not null)
        {
            if (!ResilienceMetadata.TryParseTimeout(timeout, out _))
            {
                errors = Add(errors, $"Route '{route.RouteId}': metadata '{ResilienceMetadata.TimeoutKey}' is '{timeout}'; use a positive duration such as \"00:00:30\".");
            }

            if (route.Timeout is not null)
            {
                errors = Add(errors, $"Route '{route.RouteId}': set either 'Timeout' or metadata '{ResilienceMetadata.TimeoutKey}', not both.");
            }
        }

        return errors;
    }

    public async ValueTask<IList<Exception>> ValidateClusterAsync(ClusterConfig cluster)
    {
        var errors = await _inner.ValidateClusterAsync(cluster);
        var limit = ResilienceMetadata.Get(cluster.Metadata, ResilienceMetadata.MaxConcurrentRequestsKey);
        if (limit is not null && !ResilienceMetadata.TryParseConcurrency(limit, out _))
        {
            errors = Add(errors, $"Cluster '{cluster.ClusterId}': metadata '{ResilienceMetadata.MaxConcurrentRequestsKey}' is '{limit}'; use a whole number of at least 1, e.g. \"50\".");
        }

        return errors;
    }

    private static IList<Exception> Add(IList<Exception> errors, string message)
    {
        // YARP may hand back a read-only (empty) list.
        var list = errors.IsReadOnly ? new List<Exception>(errors) : errors;
        list.Add(new ArgumentException(message));
        return list;
    }
}
