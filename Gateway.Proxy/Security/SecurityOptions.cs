namespace Gateway.Proxy.Security;

/// <summary>Authentication and per-tool authorization (section <c>Gateway:Auth</c>).</summary>
public sealed class SecurityOptions
{
    public const string SectionName = "Gateway:Auth";

    public static readonly IReadOnlyList<string> DefaultTiers = ["free", "standard", "premium", "enterprise"];

    public static readonly IReadOnlyList<string> DefaultAnonymousPaths = ["/health", "/ready", "/.well-known/"];

    public const string DefaultOperatorRole = "mcp-gateway-operator";

    public const string DefaultOperatorScope = "mcp-gateway:operate";

    /// <summary>Off by default so the quick start runs without an IdP; allowed only on loopback addresses.</summary>
    public bool Enabled { get; set; }

    /// <summary>Lets the gateway run with auth off on a non-loopback address (e.g. behind an authenticating ingress).</summary>
    public bool AllowAnonymousInProduction { get; set; }

    /// <summary>The origin clients use (e.g. <c>https://gw.example.com</c>); the resource URLs are built from it.</summary>
    public string? PublicOrigin { get; set; }

    public RouteAccessDefault DefaultRouteAccess { get; set; } = RouteAccessDefault.AuthenticatedOnly;

    /// <summary>Tier names, lowest first. Empty means <see cref="DefaultTiers"/>.</summary>
    public IList<string> Tiers { get; set; } = [];

    /// <summary>Paths served without authentication; an entry ending in '/' is a prefix. Empty means <see cref="DefaultAnonymousPaths"/>.</summary>
    public IList<string> AnonymousPaths { get; set; } = [];

    /// <summary>Scopes advertised in the protected-resource metadata besides those the routes require.</summary>
    public IList<string> ScopesSupported { get; set; } = [];

    /// <summary>
    /// The role that grants the operator endpoints (<c>/metrics</c>, <c>/status/*</c>) and the detailed health views when
    /// auth is on and no management port is set. Empty: the role grants nothing (then <see cref="OperatorScope"/> must be set).
    /// </summary>
    public string? OperatorRole { get; set; } = DefaultOperatorRole;

    /// <summary>The scope that grants the same as <see cref="OperatorRole"/> (either one is enough).</summary>
    public string? OperatorScope { get; set; } = DefaultOperatorScope;

    /// <summary>
    /// When set (e.g. <c>at+jwt</c>, RFC 9068), access tokens must carry this <c>typ</c>; compared as a media type
    /// (case-insensitive, <c>application/</c> implied). Unset: <c>typ</c> is not checked.
    /// </summary>
    public string? RequiredTokenType { get; set; }

    public OidcOptions Oidc { get; set; } = new();

    public ClaimNameOptions Claims { get; set; } = new();

    public ApiKeyOptions ApiKeys { get; set; } = new();

    public IdentityHeaderOptions IdentityHeaders { get; set; } = new();

    public IReadOnlyList<string> EffectiveTiers => Tiers.Count == 0 ? DefaultTiers : (IReadOnlyList<string>)Tiers.ToArray();

    public IReadOnlyList<string> EffectiveAnonymousPaths => AnonymousPaths.Count == 0 ? DefaultAnonymousPaths : (IReadOnlyList<string>)AnonymousPaths.ToArray();

    public bool OidcConfigured => !string.IsNullOrWhiteSpace(Oidc.Issuer);

    /// <summary>
    /// An OAuth authorization server issues this gateway's tokens. Only then is RFC 9728 metadata published and
    /// pointed to from 401s: with API keys alone it would send OAuth clients to a flow that cannot succeed.
    /// </summary>
    public bool HasAuthorizationServer => Oidc.AuthorizationServers.Count > 0 || OidcConfigured;
}

/// <summary>What a route that declares no requirement allows.</summary>
public enum RouteAccessDefault
{
    /// <summary>Any authenticated caller.</summary>
    AuthenticatedOnly,

    /// <summary>Nobody: every route must say who may use it.</summary>
    Deny,
}

/// <summary>The OpenID Connect issuer whose access tokens the gateway accepts (section <c>Gateway:Auth:Oidc</c>).</summary>
public sealed class OidcOptions
{
    /// <summary>Expected <c>iss</c>; also where the discovery document is looked up when <see cref="JwksUrl"/> is unset.</summary>
    public string? Issuer { get; set; }

    /// <summary>The issuer's JWKS; when unset it comes from <c>{Issuer}/.well-known/openid-configuration</c>.</summary>
    public string? JwksUrl { get; set; }

    /// <summary>Accepted <c>aud</c> values, comma-separated: the gateway's resource identifier (RFC 8707).
    /// Unset means <c>{PublicOrigin}/mcp</c>.</summary>
    public string? Audience { get; set; }

    /// <summary>Advertised in the protected-resource metadata; unset means the issuer.</summary>
    public IList<string> AuthorizationServers { get; set; } = [];

    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Least time between two JWKS fetches, so unknown <c>kid</c>s cannot hammer the IdP.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the JWKS is re-read in the background.</summary>
    public TimeSpan AutomaticRefreshInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Requires https for the JWKS and discovery URLs, except on loopback hosts.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
}

/// <summary>Where the caller's identity is read from in a token (section <c>Gateway:Auth:Claims</c>).</summary>
public sealed class ClaimNameOptions
{
    public string Subject { get; set; } = "sub";

    public string Tenant { get; set; } = "tenant";

    public string Tier { get; set; } = "tier";

    /// <summary>Space-separated scopes (<c>scope</c>) or one claim per scope (<c>scp</c> is read too).</summary>
    public string Scope { get; set; } = "scope";

    public string Roles { get; set; } = "roles";
}

/// <summary>API keys for machine clients (section <c>Gateway:Auth:ApiKeys</c>).</summary>
public sealed class ApiKeyOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>The key file (hashes only); relative paths resolve against the content root. A missing file means no keys.</summary>
    public string Path { get; set; } = "apikeys.json";

    public string HeaderName { get; set; } = "X-API-Key";

    /// <summary>How often the key file is re-read as a safety net for missed file events (Secret symlink swaps).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>The verified identity sent to backends instead of the client's credentials (section <c>Gateway:Auth:IdentityHeaders</c>).</summary>
public sealed class IdentityHeaderOptions
{
    public string Subject { get; set; } = "X-Gateway-Subject";

    public string Tenant { get; set; } = "X-Gateway-Tenant";

    public string Tier { get; set; } = "X-Gateway-Tier";

    public string RequestId { get; set; } = "X-Request-ID";

    /// <summary>More client headers never to forward, besides Authorization, Proxy-Authorization, Cookie and the API-key header.</summary>
    public IList<string> Strip { get; set; } = [];
}
