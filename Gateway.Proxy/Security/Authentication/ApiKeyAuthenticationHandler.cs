using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Collections.Frozen;
using Gateway.Proxy.Security.Authorization;
using Gateway.Proxy.Security.Keys;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Security.Authentication;

/// <summary>Authenticates API keys against the key file: constant-time hash comparison, then revocation and expiry.</summary>
public sealed class ApiKeyAuthenticationHandler : AuthenticationHandler<AuthenticationSchemeOptions>
{
    public const string KeyIdClaim = "key_id";

    private readonly ApiKeyStore _store;
    private readonly AuthChallenge _challenge;
    private readonly SecurityOptions _security;
    private readonly CallerIdentityResolver _callers;

    public ApiKeyAuthenticationHandler(
        IOptionsMonitor<AuthenticationSchemeOptions> options,
        ILoggerFactory logger,
        UrlEncoder encoder,
        ApiKeyStore store,
        AuthChallenge challenge,
        IOptions<SecurityOptions> security,
        CallerIdentityResolver callers)
        : base(options, logger, encoder)
    {
        _callers = callers;
        _store = store;
        _challenge = challenge;
        _security = security.Value;
    }

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = PresentedCredentials.ApiKey(Request, _security.ApiKeys.HeaderName);
        if (key is null)
        {
            return Task.FromResult(PresentedCredentials.BearerToken(Request) is { Length: > 0 }
                ? Fail(AuthFailureReasons.InvalidToken, "bearer tokens are not accepted because no OIDC issuer is configured; send an API key.")
                : AuthenticateResult.NoResult());
        }

        var verification = _store.Verify(key);
        return Task.FromResult(verification.Status switch
        {
            ApiKeyStatus.Valid => AuthenticateResult.Success(new AuthenticationTicket(CreatePrincipal(verification.Key!), Scheme.Name)),
            ApiKeyStatus.Revoked => Fail(AuthFailureReasons.ApiKeyRevoked, $"API key {verification.Key!.Id} has been revoked."),
            ApiKeyStatus.Expired => Fail(AuthFailureReasons.ApiKeyExpired, $"API key {verification.Key!.Id} expired at {verification.Key!.Expires:u}."),
            _ => Fail(AuthFailureReasons.ApiKeyInvalid, "the API key is not valid."),
        });
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        _challenge.WriteUnauthorizedAsync(Context, Context.Features.Get<AuthFailure>() ?? new AuthFailure(AuthFailureReasons.Missing, "no credential was sent."));

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => _challenge.WriteForbiddenAsync(Context);

    private ClaimsPrincipal CreatePrincipal(ApiKeyRecord key)
    {
        var names = _security.Claims;
        var claims = new List<Claim>(6 + key.Scopes.Count + key.Roles.Count)
        {
            new(names.Subject, key.Subject),
            new(names.Tier, key.Tier),
            new(KeyIdClaim, key.Id),
        };
        if (key.Tenant is not null)
        {
            claims.Add(new Claim(names.Tenant, key.Tenant));
        }

        foreach (var scope in key.Scopes)
        {
            claims.Add(new Claim(names.Scope, scope));
        }

        foreach (var role in key.Roles)
        {
            claims.Add(new Claim(names.Roles, role));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name, names.Subject, names.Roles));
        _callers.Attach(principal, new CallerIdentity(
            true, key.Subject, key.Tenant, key.Tier, key.Scopes.ToFrozenSet(StringComparer.Ordinal), key.Roles.ToFrozenSet(StringComparer.Ordinal), key.Id));
        return principal;
    }

    private AuthenticateResult Fail(string reason, string description)
    {
        Context.Features.Set(new AuthFailure(reason, description));
        return AuthenticateResult.Fail(description);
    }
}
