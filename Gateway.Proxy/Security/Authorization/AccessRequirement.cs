namespace Gateway.Proxy.Security.Authorization;

/// <summary>Who may use a route, read from its metadata. Empty lists mean "no condition of that kind".</summary>
public sealed class AccessRequirement
{
    public static readonly AccessRequirement None = new([], [], null, -1, [], isAnonymous: false);

    public static readonly AccessRequirement Anonymous = new([], [], null, -1, [], isAnonymous: true);

    public AccessRequirement(string[] scopes, string[] roles, string? minimumTier, int minimumTierRank, string[] tenants, bool isAnonymous = false)
    {
        Scopes = scopes;
        Roles = roles;
        MinimumTier = minimumTier;
        MinimumTierRank = minimumTierRank;
        Tenants = tenants;
        IsAnonymous = isAnonymous;
    }

    public string[] Scopes { get; }

    public string[] Roles { get; }

    public string? MinimumTier { get; }

    /// <summary>Position of <see cref="MinimumTier"/> in the tier order; -1 when there is none.</summary>
    public int MinimumTierRank { get; }

    public string[] Tenants { get; }

    /// <summary>The route's YARP AuthorizationPolicy is <c>Anonymous</c>: anyone, signed in or not.</summary>
    public bool IsAnonymous { get; }

    /// <summary>The route declares nothing, so <see cref="RouteAccessDefault"/> decides.</summary>
    public bool IsUndeclared => !IsAnonymous && Scopes.Length == 0 && Roles.Length == 0 && MinimumTier is null && Tenants.Length == 0;
}
