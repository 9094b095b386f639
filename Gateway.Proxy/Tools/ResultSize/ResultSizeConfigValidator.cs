using Yarp.ReverseProxy.Configuration;

namespace Gateway.Proxy.Tools.ResultSize;

/// <summary>Wraps YARP's validator so a bad <c>Gateway.MaxResultBytes</c> rejects the routes.json load like any other mistake.</summary>
public sealed class ResultSizeConfigValidator : IConfigValidator
{
    private readonly IConfigValidator _inner;

    public ResultSizeConfigValidator(IConfigValidator inner) => _inner = inner;

    public async ValueTask<IList<Exception>> ValidateRouteAsync(RouteConfig route)
    {
        var errors = await _inner.ValidateRouteAsync(route);
        if (route.Metadata is not null && route.Metadata.TryGetValue(ResultSizeMetadata.MaxResultBytesKey, out var text)
            && !ResultSizeMetadata.TryParse(text, out _))
        {
            // YARP may hand back a read-only (empty) list.
            var list = errors.IsReadOnly ? new List<Exception>(errors) : errors;
            list.Add(new ArgumentException(
                $"Route '{route.RouteId}': metadata '{ResultSizeMetadata.MaxResultBytesKey}' is '{text}'; use a whole number of bytes " +
                $"from 1 to {ResultSizeMetadata.MaxAllowed}, e.g. \"4194304\" for 4 MiB."));
            return list;
        }

        return errors;
    }

    public ValueTask<IList<Exception>> ValidateClusterAsync(ClusterConfig cluster) => _inner.ValidateClusterAsync(cluster);
}
