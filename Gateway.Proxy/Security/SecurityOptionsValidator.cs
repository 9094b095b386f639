using Gateway.Proxy.Hosting;
using Gateway.Proxy.Security.Authentication;
using Gateway.Proxy.Security.Metadata;
using Gateway.Transforms.Mapping;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Security;

/// <summary>
/// Checks <c>Gateway:Auth</c> at start-up. Besides the settings themselves it enforces the exposure rule:
/// auth may be off only while every address the gateway listens on is loopback, unless the operator overrides it.
/// </summary>
public sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
{
    private readonly IConfiguration _configuration;

    public SecurityOptionsValidator(IConfiguration configuration) => _configuration = configuration;

    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        var failures = new List<string>();
        CheckExposure(options, failures);
        CheckTiers(options, failures);
        CheckOrigin(options, failures);
        if (options.Enabled && !options.OidcConfigured && !options.ApiKeys.Enabled)
        {
            failures.Add("Gateway:Auth:Enabled is true but no credential is accepted: set Gateway:Auth:Oidc:Issuer (MCP_GATEWAY_OIDC_ISSUER) or enable Gateway:Auth:ApiKeys.");
        }

        if (options.OidcConfigured)
        {
            CheckOidc(options, failures);
        }

        CheckOperator(options, failures);
        CheckApiKeys(options.ApiKeys, failures);
        CheckHeaders(options, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private void CheckExposure(SecurityOptions options, List<string> failures)
    {
        if (options.Enabled || options.AllowAnonymousInProduction)
        {
            return;
        }

        var exposed = ListenAddresses.FromConfiguration(_configuration).Where(a => !ListenAddresses.IsLoopback(a)).ToList();
        if (exposed.Count > 0)
        {
            failures.Add($"Authentication is off (Gateway:Auth:Enabled=false) but the gateway would listen on non-loopback address(es) {string.Join(", ", exposed)}. " +
                "Auth may be off only when every address is loopback (e.g. http://127.0.0.1:8087). Turn auth on (MCP_GATEWAY_AUTH_ENABLED=true with " +
                "MCP_GATEWAY_OIDC_ISSUER/MCP_GATEWAY_OIDC_AUDIENCE, or API keys), or, only if something in front authenticates every request, " +
                "set Gateway:Auth:AllowAnonymousInProduction=true.");
        }
    }

    private static void CheckTiers(SecurityOptions options, List<string> failures)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var tier in options.EffectiveTiers)
        {
            if (!ScopeToken.IsValid(tier) || tier.Contains(','))
            {
                failures.Add($"Gateway:Auth:Tiers entry '{tier}' is not a tier name; use printable ASCII without spaces, quotes or commas (e.g. [\"free\", \"standard\", \"premium\"]).");
            }
            else if (!seen.Add(tier))
            {
                failures.Add($"Gateway:Auth:Tiers lists '{tier}' twice; list each tier once, lowest first.");
            }
        }
    }

    private static void CheckOrigin(SecurityOptions options, List<string> failures)
    {
        if (options.PublicOrigin is { Length: > 0 } origin && !ResourceIdentity.TryParseOrigin(origin, out _))
        {
            failures.Add($"Gateway:Auth:PublicOrigin '{origin}' is not an origin; use scheme://host[:port] without a path (e.g. 'https://gw.example.com').");
        }
    }

    private static void CheckOidc(SecurityOptions options, List<string> failures)
    {
        var oidc = options.Oidc;
        CheckMetadataUrl("Gateway:Auth:Oidc:Issuer", oidc.Issuer!, oidc.RequireHttpsMetadata, failures);
        if (oidc.JwksUrl is { Length: > 0 } jwks)
        {
            CheckMetadataUrl("Gateway:Auth:Oidc:JwksUrl", jwks, oidc.RequireHttpsMetadata, failures);
        }

        if (ResourceIdentity.ParseAudiences(oidc.Audience).Count == 0 && string.IsNullOrWhiteSpace(options.PublicOrigin))
        {
            failures.Add("Set Gateway:Auth:Oidc:Audience (MCP_GATEWAY_OIDC_AUDIENCE) to the gateway's resource identifier, e.g. 'https://gw.example.com/mcp', " +
                "or Gateway:Auth:PublicOrigin so the audience defaults to '{PublicOrigin}/mcp'.");
        }

        if (oidc.ClockSkew < TimeSpan.Zero || oidc.ClockSkew > TimeSpan.FromMinutes(5))
        {
            failures.Add($"Gateway:Auth:Oidc:ClockSkew is {oidc.ClockSkew}; use 00:00:00 to 00:05:00 (default 00:00:30).");
        }

        if (oidc.RefreshInterval < TimeSpan.Zero)
        {
            failures.Add($"Gateway:Auth:Oidc:RefreshInterval is {oidc.RefreshInterval}; use a positive interval (default 00:01:00).");
        }

        if (oidc.AutomaticRefreshInterval < TimeSpan.FromSeconds(1) || oidc.AutomaticRefreshInterval < oidc.RefreshInterval)
        {
            failures.Add($"Gateway:Auth:Oidc:AutomaticRefreshInterval is {oidc.AutomaticRefreshInterval}; use at least one second and at least RefreshInterval (default 01:00:00).");
        }
    }

    private void CheckOperator(SecurityOptions options, List<string> failures)
    {
        var role = options.OperatorRole;
        var scope = options.OperatorScope;
        if (!string.IsNullOrEmpty(role) && !ScopeToken.IsValid(role))
        {
            failures.Add($"Gateway:Auth:OperatorRole '{role}' is not a role name; use printable ASCII without spaces, quotes or commas (default '{SecurityOptions.DefaultOperatorRole}').");
        }

        if (!string.IsNullOrEmpty(scope) && !ScopeToken.IsValid(scope))
        {
            failures.Add($"Gateway:Auth:OperatorScope '{scope}' is not a scope; use printable ASCII without spaces, quotes or commas (default '{SecurityOptions.DefaultOperatorScope}').");
        }

        if (options.Enabled && string.IsNullOrEmpty(role) && string.IsNullOrEmpty(scope) && !ManagementOptions.IsConfigured(_configuration))
        {
            failures.Add("Gateway:Auth:OperatorRole and Gateway:Auth:OperatorScope are both empty, so nobody could reach /metrics and /status/*: " +
                $"set one of them (defaults '{SecurityOptions.DefaultOperatorRole}' and '{SecurityOptions.DefaultOperatorScope}'), " +
                "or serve the operator endpoints on a separate listener with Gateway:Management:Port (MCP_GATEWAY_MANAGEMENT_PORT).");
        }

        if (options.RequiredTokenType is { } type && !TokenType.TryNormalize(type, out _))
        {
            failures.Add($"Gateway:Auth:RequiredTokenType '{type}' is not a media type name; use e.g. 'at+jwt' or 'application/at+jwt' (RFC 9068), or leave it unset.");
        }

        var anonymous = new AnonymousPaths(Options.Create(options));
        foreach (var path in OperatorEndpoints.Paths)
        {
            if (options.Enabled && anonymous.Matches(path))
            {
                failures.Add($"Gateway:Auth:AnonymousPaths makes the operator endpoint '{path}' anonymous, which is not allowed: it shows tools, backends and key ids. " +
                    "Remove that entry; give the scraper a credential with Gateway:Auth:OperatorRole or OperatorScope, or serve the operator endpoints on Gateway:Management:Port.");
            }
        }
    }

    private static void CheckMetadataUrl(string setting, string value, bool requireHttps, List<string> failures)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            failures.Add($"{setting} '{value}' is not an absolute http(s) URL (e.g. 'https://login.example.com/realms/mcp').");
        }
        else if (uri.Scheme == "http" && requireHttps && !uri.IsLoopback)
        {
            failures.Add($"{setting} '{value}' uses http; keys must come over https. Use an https URL, or set Gateway:Auth:Oidc:RequireHttpsMetadata=false for a test IdP.");
        }
    }

    private static void CheckApiKeys(ApiKeyOptions apiKeys, List<string> failures)
    {
        if (!apiKeys.Enabled)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(apiKeys.Path))
        {
            failures.Add("Gateway:Auth:ApiKeys:Path must name the key file (e.g. 'apikeys.json' or '/var/run/secrets/mcp-gateway/apikeys.json').");
        }

        if (!HeaderFieldName.IsToken(apiKeys.HeaderName))
        {
            failures.Add($"Gateway:Auth:ApiKeys:HeaderName '{apiKeys.HeaderName}' is not an HTTP header name (default 'X-API-Key').");
        }

        if (apiKeys.PollInterval < TimeSpan.FromMilliseconds(100))
        {
            failures.Add($"Gateway:Auth:ApiKeys:PollInterval is {apiKeys.PollInterval}; use at least 00:00:00.1.");
        }
    }

    private static void CheckHeaders(SecurityOptions options, List<string> failures)
    {
        var headers = options.IdentityHeaders;
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (setting, value) in new[]
        {
            ("Subject", headers.Subject), ("Tenant", headers.Tenant), ("Tier", headers.Tier), ("RequestId", headers.RequestId),
        })
        {
            if (!HeaderFieldName.IsToken(value))
            {
                failures.Add($"Gateway:Auth:IdentityHeaders:{setting} '{value}' is not an HTTP header name.");
            }
            else if (!names.Add(value))
            {
                failures.Add($"Gateway:Auth:IdentityHeaders:{setting} '{value}' is used twice; give each identity header its own name.");
            }
        }

        foreach (var value in headers.Strip)
        {
            if (!HeaderFieldName.IsToken(value))
            {
                failures.Add($"Gateway:Auth:IdentityHeaders:Strip entry '{value}' is not an HTTP header name.");
            }
        }
    }
}
