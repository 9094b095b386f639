using Gateway.Proxy.Security.Metadata;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Proxy.Security.Authentication;

/// <summary>Configures the JWT bearer scheme from <c>Gateway:Auth:Oidc</c>: strict issuer, audience, algorithms and claims.</summary>
public sealed class JwtBearerSetup : IConfigureNamedOptions<JwtBearerOptions>
{
    private readonly SecurityOptions _options;
    private readonly ResourceIdentity _resource;
    private readonly JwksKeyStore _keys;

    public JwtBearerSetup(IOptions<SecurityOptions> options, ResourceIdentity resource, JwksKeyStore keys)
    {
        _options = options.Value;
        _resource = resource;
        _keys = keys;
    }

    public void Configure(string? name, JwtBearerOptions options)
    {
        if (name == GatewayAuthenticationSchemes.Bearer)
        {
            Configure(options);
        }
    }

    public void Configure(JwtBearerOptions options)
    {
        var oidc = _options.Oidc;
        options.MapInboundClaims = false;
        options.SaveToken = false;
        options.IncludeErrorDetails = false;

        // Keys come from JwksKeyStore (throttled refresh on unknown kid), not from the library's metadata manager.
        options.RefreshOnIssuerKeyNotFound = false;
        options.EventsType = typeof(GatewayJwtBearerEvents);
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = oidc.Issuer,
            ValidateIssuer = true,
            IssuerValidator = ExactIssuer,
            ValidAudiences = _resource.Audiences,
            ValidateAudience = true,
            AudienceValidator = ExactAudience,

            // The library's default forgives a trailing '/' on audiences; identifiers are compared exactly (RFC 7519 4.1.3).
            IgnoreTrailingSlashWhenValidatingAudience = false,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            RequireAudience = true,
            ValidAlgorithms = GatewayJwtBearerEvents.AcceptedAlgorithms,
            ClockSkew = oidc.ClockSkew,
            IssuerSigningKeyResolver = (_, _, kid, _) => _keys.Resolve(kid),
            NameClaimType = _options.Claims.Subject,
            RoleClaimType = _options.Claims.Roles,
        };
    }

    /// <summary><c>iss</c> must equal the configured issuer character for character: no case folding, no trailing-slash leniency.</summary>
    private string ExactIssuer(string issuer, SecurityToken token, TokenValidationParameters parameters) =>
        string.Equals(issuer, _options.Oidc.Issuer, StringComparison.Ordinal)
            ? issuer
            : throw new SecurityTokenInvalidIssuerException("The token's issuer is not the configured issuer.") { InvalidIssuer = issuer };

    /// <summary>One of the token's <c>aud</c> values must equal an accepted audience character for character.</summary>
    private bool ExactAudience(IEnumerable<string> audiences, SecurityToken token, TokenValidationParameters parameters)
    {
        foreach (var audience in audiences)
        {
            foreach (var accepted in _resource.Audiences)
            {
                if (string.Equals(audience, accepted, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
