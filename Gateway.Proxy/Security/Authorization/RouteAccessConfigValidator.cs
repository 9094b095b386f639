using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Configuration.RouteValidators;

namespace Gateway.Proxy.Security.Authorization;

/// <summary>
/// A YARP route validator for access rules: an unknown <c>Gateway.*</c> metadata key or an unknown tier fails the load
/// (or the reload) with an error naming the route.
/// </summary>
public sealed class RouteAccessConfigValidator : IRouteValidator
{
    private readonly TierOrder _tiers;
    private readonly IReadOnlySet<string> _extraKeys;

    public RouteAccessConfigValidator(TierOrder tiers, IEnumerable<KnownRouteMetadataKey> knownKeys)
    {
        _tiers = tiers;
        _extraKeys = knownKeys.Select(k => k.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    public ValueTask ValidateAsync(RouteConfig route, IList<Exception> errors)
    {
        var accessErrors = new List<string>();
        AccessRequirementParser.Parse(route.Metadata, route.AuthorizationPolicy, _tiers, _extraKeys, accessErrors);
        foreach (var error in accessErrors)
        {
            errors.Add(new ArgumentException($"Route '{route.RouteId}': {error}"));
        }

        return default;
    }
}
