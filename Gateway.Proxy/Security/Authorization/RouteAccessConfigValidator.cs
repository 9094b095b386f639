using Yarp.ReverseProxy.Configuration;

namespace Gateway.Proxy.Security.Authorization;

/// <summary>
/// Wraps YARP's route validator so routes.json is checked for access rules at load time: an unknown
/// <c>Gateway.*</c> metadata key or an unknown tier fails the load (or the reload) with an error naming the route.
/// </summary>
public sealed class RouteAccessConfigValidator : IConfigValidator
{
    private readonly IConfigValidator _inner;
    private readonly TierOrder _tiers;
    private readonly IReadOnlySet<string> _extraKeys;

    public RouteAccessConfigValidator(IConfigValidator inner, TierOrder tiers, IEnumerable<KnownRouteMetadataKey> knownKeys)
    {
        _inner = inner;
        _tiers = tiers;
        _extraKeys = knownKeys.Select(k => k.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    public async ValueTask<IList<Exception>> ValidateRouteAsync(RouteConfig route)
    {
        var errors = await _inner.ValidateRouteAsync(route);
        var accessErrors = new List<string>();
        AccessRequirementParser.Parse(route.Metadata, route.AuthorizationPolicy, _tiers, _extraKeys, accessErrors);
        if (accessErrors.Count == 0)
        {
            return errors;
        }

        var all = new List<Exception>(errors);
        foreach (var error in accessErrors)
        {
            all.Add(new ArgumentException($"Route '{route.RouteId}': {error}"));
        }

        return all;
    }

    public ValueTask<IList<Exception>> ValidateClusterAsync(ClusterConfig cluster) => _inner.ValidateClusterAsync(cluster);
}
