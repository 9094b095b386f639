using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Proxy.Security.Authorization;

/// <summary>
/// Each route's <see cref="AccessRequirement"/>, parsed once per route generation and looked up by route (pipeline
/// step) or by route id (tool visibility). routes.json was validated before it was applied, so a parse error here
/// can only come from a settings change since; such a route then admits nobody.
/// </summary>
public sealed class RouteAccessRequirements
{
    private static readonly AccessRequirement s_denyAll = new([], [], "(invalid)", int.MaxValue, []);

    private readonly IProxyConfigProvider _config;
    private readonly TierOrder _tiers;
    private readonly FrozenSet<string> _extraKeys;
    private readonly ConditionalWeakTable<RouteConfig, AccessRequirement> _byRoute = new();
    private readonly ConditionalWeakTable<RouteConfig, AccessRequirement>.CreateValueCallback _parse;
    private RouteIndex? _index;

    public RouteAccessRequirements(IProxyConfigProvider config, TierOrder tiers, IEnumerable<KnownRouteMetadataKey> knownKeys)
    {
        _config = config;
        _tiers = tiers;
        _extraKeys = knownKeys.Select(k => k.Key).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        _parse = Parse;
    }

    public IReadOnlySet<string> ExtraKnownKeys => _extraKeys;

    public AccessRequirement For(RouteConfig route) => _byRoute.GetValue(route, _parse);

    /// <summary>The requirement of the current generation's route, or null when no such route exists.</summary>
    public AccessRequirement? ForRouteId(string routeId) =>
        CurrentRoutes().TryGetValue(routeId, out var route) ? For(route) : null;

    /// <summary>Every scope some current route requires (for <c>scopes_supported</c>).</summary>
    public IEnumerable<string> RequiredScopes()
    {
        foreach (var route in CurrentRoutes().Values)
        {
            foreach (var scope in For(route).Scopes)
            {
                yield return scope;
            }
        }
    }

    private FrozenDictionary<string, RouteConfig> CurrentRoutes()
    {
        var config = _config.GetConfig();
        var index = Volatile.Read(ref _index);
        if (index is null || !ReferenceEquals(index.Config, config))
        {
            index = new RouteIndex(config, config.Routes.ToFrozenDictionary(r => r.RouteId, StringComparer.OrdinalIgnoreCase));
            Volatile.Write(ref _index, index);
        }

        return index.Routes;
    }

    private sealed record RouteIndex(IProxyConfig Config, FrozenDictionary<string, RouteConfig> Routes);

    private AccessRequirement Parse(RouteConfig route)
    {
        var errors = new List<string>();
        var requirement = AccessRequirementParser.Parse(route.Metadata, route.AuthorizationPolicy, _tiers, _extraKeys, errors);
        return errors.Count == 0 ? requirement : s_denyAll;
    }
}
