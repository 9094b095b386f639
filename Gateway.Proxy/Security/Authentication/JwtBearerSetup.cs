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
            ValidAudiences = _resource.Audiences,
            ValidateAudience = true,
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
}
