using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Proxy.Security.Authentication;

/// <summary>
/// Classifies bearer tokens before and after the library validates them, so every rejection has a precise reason:
/// the algorithm and the required claims are checked first, an unknown <c>kid</c> triggers a (throttled) JWKS
/// refresh, and validation exceptions are mapped to the metric reasons.
/// </summary>
public sealed class GatewayJwtBearerEvents : JwtBearerEvents
{
    private static readonly string[] s_acceptedAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256];

    public static IReadOnlyList<string> AcceptedAlgorithms => s_acceptedAlgorithms;

    private readonly JwksKeyStore _keys;
    private readonly AuthChallenge _challenge;
    private readonly string[] _requiredClaims;
    private readonly string? _requiredTokenType;

    public GatewayJwtBearerEvents(JwksKeyStore keys, AuthChallenge challenge, IOptions<SecurityOptions> options)
    {
        _keys = keys;
        _challenge = challenge;
        var claims = options.Value.Claims;
        _requiredClaims = new[] { "exp", "iss", "aud", claims.Subject, claims.Tier }.Distinct(StringComparer.Ordinal).ToArray();
        _requiredTokenType = TokenType.TryNormalize(options.Value.RequiredTokenType, out var type) ? type : null;
    }

    public override async Task MessageReceived(MessageReceivedContext context)
    {
        var token = PresentedCredentials.BearerToken(context.Request);
        if (string.IsNullOrEmpty(token))
        {
            context.NoResult();
            return;
        }

        if (!JwtInspector.TryInspect(token, _requiredClaims, out var shape))
        {
            Fail(context, AuthFailureReasons.InvalidToken, "the bearer token is not a signed JWT (compact JWS with a JSON header and payload).");
            return;
        }

        if (shape.HeaderViolation is { } violation)
        {
            Fail(context, AuthFailureReasons.InvalidToken, violation);
            return;
        }

        if (shape.Algorithm is null || Array.IndexOf(s_acceptedAlgorithms, shape.Algorithm) < 0)
        {
            Fail(context, AuthFailureReasons.Algorithm, "the token's signing algorithm ('alg') is not accepted; use RS256 or ES256.");
            return;
        }

        if (_requiredTokenType is not null && !TokenType.Matches(_requiredTokenType, shape.TokenType))
        {
            Fail(context, AuthFailureReasons.TokenType, $"the token's type ('typ') is not '{_requiredTokenType}' (Gateway:Auth:RequiredTokenType); use an OAuth access token (RFC 9068), not an ID token.");
            return;
        }

        if (shape.MissingClaim is { } missing)
        {
            Fail(context, AuthFailureReasons.MissingClaim, $"the token lacks the required claim '{missing}'.");
            return;
        }

        if (!await _keys.EnsureKeyAsync(shape.KeyId, context.HttpContext.RequestAborted))
        {
            Fail(context, AuthFailureReasons.UnknownKey, "the token is signed with a key the issuer does not publish (unknown 'kid').");
            return;
        }

        context.Token = token;
    }

    public override Task AuthenticationFailed(AuthenticationFailedContext context)
    {
        var (reason, description) = Classify(context.Exception);
        context.HttpContext.Features.Set(new AuthFailure(reason, description));
        return Task.CompletedTask;
    }

    public override async Task Challenge(JwtBearerChallengeContext context)
    {
        // Reached only through ASP.NET authorization (a route's AuthorizationPolicy); the gateway's own gate answers first otherwise.
        context.HandleResponse();
        var failure = context.HttpContext.Features.Get<AuthFailure>() ?? new AuthFailure(AuthFailureReasons.Missing, "no credential was sent.");
        await _challenge.WriteUnauthorizedAsync(context.HttpContext, failure);
    }

    public override Task Forbidden(ForbiddenContext context) => _challenge.WriteForbiddenAsync(context.HttpContext);

    internal static (string Reason, string Description) Classify(Exception exception) => exception switch
    {
        SecurityTokenExpiredException => (AuthFailureReasons.Expired, "the token has expired."),
        SecurityTokenNotYetValidException => (AuthFailureReasons.InvalidToken, "the token is not valid yet (nbf is in the future)."),
        SecurityTokenNoExpirationException => (AuthFailureReasons.MissingClaim, "the token lacks the required claim 'exp'."),
        SecurityTokenInvalidLifetimeException => (AuthFailureReasons.InvalidToken, "the token's lifetime (nbf/exp) is invalid."),
        SecurityTokenInvalidAudienceException => (AuthFailureReasons.InvalidAudience, "the token was not issued for this gateway (aud does not match its resource identifier)."),
        SecurityTokenInvalidIssuerException => (AuthFailureReasons.InvalidIssuer, "the token was not issued by the trusted issuer."),
        SecurityTokenSignatureKeyNotFoundException => (AuthFailureReasons.UnknownKey, "the token is signed with a key the issuer does not publish (unknown 'kid')."),
        SecurityTokenInvalidAlgorithmException => (AuthFailureReasons.Algorithm, "the token's signing algorithm is not accepted; use RS256 or ES256."),
        SecurityTokenInvalidSignatureException => (AuthFailureReasons.InvalidSignature, "the token's signature is invalid."),
        _ => (AuthFailureReasons.InvalidToken, "the token could not be validated."),
    };

    private static void Fail(MessageReceivedContext context, string reason, string description)
    {
        context.HttpContext.Features.Set(new AuthFailure(reason, description));
        context.Fail(description);
    }
}
