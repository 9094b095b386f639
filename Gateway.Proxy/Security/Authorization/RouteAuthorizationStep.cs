using Gateway.Proxy.Security.Authentication;
using Gateway.Transforms.Pipeline;

namespace Gateway.Proxy.Security.Authorization;

/// <summary>
/// Enforces the route's access rule on every proxied call (Order 100). A tool call that is not allowed gets the
/// same answer as an unknown tool, so hidden tools cannot be discovered; a REST passthrough call gets 401 or 403.
/// </summary>
public sealed class RouteAuthorizationStep : IGatewayStep
{
    private readonly RouteAccessRequirements _requirements;
    private readonly CallerIdentityResolver _callers;
    private readonly AccessPolicy _policy;
    private readonly AuthChallenge _challenge;
    private readonly SecurityEvents _events;

    public RouteAuthorizationStep(RouteAccessRequirements requirements, CallerIdentityResolver callers, AccessPolicy policy, AuthChallenge challenge, SecurityEvents events)
    {
        _requirements = requirements;
        _callers = callers;
        _policy = policy;
        _challenge = challenge;
        _events = events;
    }

    public int Order => 100;

    public ValueTask<StepResult> InvokeAsync(GatewayStepContext context)
    {
        var requirement = _requirements.For(context.Route.Config);
        var caller = _callers.Resolve(context.HttpContext.User);
        var decision = _policy.Evaluate(caller, requirement);
        if (decision.IsAllowed)
        {
            return StepResult.Continue;
        }

        var http = context.HttpContext;
        if (decision.Outcome == AccessOutcome.Unauthenticated)
        {
            return StepResult.Reject(_challenge.UnauthorizedRejection(http,
                http.Features.Get<AuthFailure>() ?? new AuthFailure(AuthFailureReasons.Missing, "no credential was sent.")));
        }

        _events.AccessDenied(http, context.Route.Config.RouteId, caller.Subject ?? "(unknown)", decision.Reason ?? "denied");
        if (context.Tool is { } tool)
        {
            return StepResult.Reject(GatewayRejection.ToolNotFound(tool.Name));
        }

        return StepResult.Reject(_challenge.ForbiddenRejection(http, requirement.Scopes,
            "Forbidden: your credential does not grant access to this route" + (requirement.Scopes.Length > 0 ? $" (it requires the scopes {string.Join(' ', requirement.Scopes)})." : ".")));
    }
}
