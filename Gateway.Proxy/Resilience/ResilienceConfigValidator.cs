using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Configuration.ClusterValidators;
using Yarp.ReverseProxy.Configuration.RouteValidators;

namespace Gateway.Proxy.Resilience;

/// <summary>
/// YARP route and cluster validators for this area's metadata, so routes.json errors in it are reported with the
/// others (and a bad reload is rejected as a whole) instead of being silently ignored at request time.
/// </summary>
public sealed class ResilienceConfigValidator : IRouteValidator, IClusterValidator
{
    public ValueTask ValidateAsync(RouteConfig route, IList<Exception> errors)
    {
        var timeout = ResilienceMetadata.Get(route.Metadata, ResilienceMetadata.TimeoutKey);
        if (timeout is not null)
        {
            if (!ResilienceMetadata.TryParseTimeout(timeout, out _))
            {
                errors.Add(new ArgumentException($"Route '{route.RouteId}': metadata '{ResilienceMetadata.TimeoutKey}' is '{timeout}'; use a positive duration such as \"00:00:30\"."));
            }

            if (route.Timeout is not null)
            {
                errors.Add(new ArgumentException($"Route '{route.RouteId}': set either 'Timeout' or metadata '{ResilienceMetadata.TimeoutKey}', not both."));
            }
        }

        return default;
    }

    public ValueTask ValidateAsync(ClusterConfig cluster, IList<Exception> errors)
    {
        var limit = ResilienceMetadata.Get(cluster.Metadata, ResilienceMetadata.MaxConcurrentRequestsKey);
        if (limit is not null && !ResilienceMetadata.TryParseConcurrency(limit, out _))
        {
            errors.Add(new ArgumentException($"Cluster '{cluster.ClusterId}': metadata '{ResilienceMetadata.MaxConcurrentRequestsKey}' is '{limit}'; use a whole number of at least 1, e.g. \"50\"."));
        }

        return default;
    }
}
