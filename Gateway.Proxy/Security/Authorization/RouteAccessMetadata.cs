namespace Gateway.Proxy.Security.Authorization;

/// <summary>The route <c>Metadata</c> keys that say who may use a route (tool or REST passthrough).</summary>
public static class RouteAccessMetadata
{
    /// <summary>Comma-separated scopes; the caller needs all of them.</summary>
    public const string RequiredScopes = "Gateway.RequiredScopes";

    /// <summary>Comma-separated roles; the caller needs at least one.</summary>
    public const string RequiredRoles = "Gateway.RequiredRoles";

    /// <summary>A tier name from <c>Gateway:Auth:Tiers</c>; the caller's tier must be this one or higher.</summary>
    public const string MinimumTier = "Gateway.MinimumTier";

    /// <summary>Comma-separated tenants; the caller's tenant must be one of them.</summary>
    public const string Tenants = "Gateway.Tenants";

    public static readonly IReadOnlyList<string> Keys = [RequiredScopes, RequiredRoles, MinimumTier, Tenants];

    /// <summary>Metadata keys in the gateway's namespace; unknown ones are refused so a typo cannot silently drop a restriction.</summary>
    public const string GatewayPrefix = "Gateway.";
}
