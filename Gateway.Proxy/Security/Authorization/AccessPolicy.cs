using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Security.Authorization;

/// <summary>
/// The one decision of who may use a route, shared by tools/list, tools/call, the REST facade and REST passthrough
/// routes: all required scopes, at least one required role, at least the minimum tier, one of the tenants.
/// </summary>
public sealed class AccessPolicy
{
    private readonly RouteAccessDefault _default;
    private readonly TierOrder _tiers;

    public AccessPolicy(IOptions<SecurityOptions> options, TierOrder tiers)
        : this(options.Value.DefaultRouteAccess, tiers)
    {
    }

    public AccessPolicy(RouteAccessDefault routeDefault, TierOrder tiers)
    {
        _default = routeDefault;
        _tiers = tiers;
    }

    public AccessDecision Evaluate(CallerIdentity caller, AccessRequirement requirement)
    {
        if (requirement.IsAnonymous)
        {
            return AccessDecision.Allow;
        }

        if (!caller.IsAuthenticated)
        {
            return AccessDecision.Unauthenticated;
        }

        if (requirement.IsUndeclared)
        {
            return _default == RouteAccessDefault.Deny
                ? AccessDecision.Deny("the route declares no access rule and Gateway:Auth:DefaultRouteAccess is Deny")
                : AccessDecision.Allow;
        }

        foreach (var scope in requirement.Scopes)
        {
            if (!caller.Scopes.Contains(scope))
            {
                return AccessDecision.Deny($"missing scope '{scope}'");
            }
        }

        if (requirement.Roles.Length > 0 && !HasAnyRole(caller, requirement.Roles))
        {
            return AccessDecision.Deny($"needs one of the roles {string.Join(", ", requirement.Roles)}");
        }

        if (requirement.MinimumTierRank >= 0 && _tiers.RankOf(caller.Tier) < requirement.MinimumTierRank)
        {
            return AccessDecision.Deny($"tier '{caller.Tier}' is below '{requirement.MinimumTier}'");
        }

        if (requirement.Tenants.Length > 0 && (caller.Tenant is null || Array.IndexOf(requirement.Tenants, caller.Tenant) < 0))
        {
            return AccessDecision.Deny($"tenant '{caller.Tenant}' is not allowed");
        }

        return AccessDecision.Allow;
    }

    private static bool HasAnyRole(CallerIdentity caller, string[] roles)
    {
        foreach (var role in roles)
        {
            if (caller.Roles.Contains(role))
            {
                return true;
            }
        }

        return false;
    }
}
