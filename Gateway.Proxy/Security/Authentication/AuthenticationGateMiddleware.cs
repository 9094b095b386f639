using Microsoft.AspNetCore.Authorization;

namespace Gateway.Proxy.Security.Authentication;

/// <summary>
/// Deny by default: once authentication has run, every request except the anonymous paths (health, readiness,
/// metrics, the well-known metadata) must carry a valid credential, whatever endpoint it reaches, including unknown
/// paths. Access tokens in the query string are refused outright: they leak into logs and browser history.
/// </summary>
public sealed class AuthenticationGateMiddleware
{
    private const string QueryTokenParameter = "access_token";

    private readonly RequestDelegate _next;
    private readonly AnonymousPaths _anonymous;
    private readonly AuthChallenge _challenge;

    public AuthenticationGateMiddleware(RequestDelegate next, AnonymousPaths anonymous, AuthChallenge challenge)
    {
        _next = next;
        _anonymous = anonymous;
        _challenge = challenge;
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.QueryString.HasValue && context.Request.Query.ContainsKey(QueryTokenParameter))
        {
            return _challenge.WriteUnauthorizedAsync(context, new AuthFailure(AuthFailureReasons.QueryToken,
                "access tokens in the query string (access_token) are not accepted; send 'Authorization: Bearer <token>' instead."));
        }

        if (context.User.Identity?.IsAuthenticated == true || _anonymous.Matches(context.Request.Path)
            || context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return _next(context);
        }

        var failure = context.Features.Get<AuthFailure>() ?? new AuthFailure(AuthFailureReasons.Missing, "no credential was sent.");
        return _challenge.WriteUnauthorizedAsync(context, failure);
    }
}
