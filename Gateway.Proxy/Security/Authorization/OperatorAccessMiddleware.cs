using Gateway.Proxy.Hosting;
using Gateway.Proxy.Security.Authentication;

namespace Gateway.Proxy.Security.Authorization;

/// <summary>
/// Guards the operator endpoints on the main listener when auth is on: 401 without a credential, 403 without the
/// operator role or scope. Runs after the authentication gate; endpoints are recognised by their metadata, not by path.
/// </summary>
public sealed class OperatorAccessMiddleware(RequestDelegate next, OperatorAccess access, AuthChallenge challenge, SecurityEvents events)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (ManagementEndpointMetadata.Of(context) != ManagementEndpointKind.Operator)
        {
            return next(context);
        }

        switch (access.Evaluate(context))
        {
            case OperatorAccessOutcome.Allowed:
                return next(context);
            case OperatorAccessOutcome.NotHere:
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            case OperatorAccessOutcome.Unauthenticated:
                return challenge.WriteUnauthorizedAsync(context,
                    context.Features.Get<AuthFailure>() ?? new AuthFailure(AuthFailureReasons.Missing, "no credential was sent."));
            default:
                var subject = context.User.FindFirst("sub")?.Value ?? context.User.Identity?.Name ?? "(unknown)";
                events.AccessDenied(context, context.GetEndpoint()?.DisplayName ?? "operator endpoint", subject, "lacks the operator role and scope");
                return challenge.WriteForbiddenAsync(context, access.Scope is { } scope ? [scope] : [],
                    "Forbidden: the operator endpoints need the operator role (Gateway:Auth:OperatorRole) or scope (Gateway:Auth:OperatorScope).");
        }
    }
}
