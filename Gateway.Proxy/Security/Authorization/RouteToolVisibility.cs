using System.Security.Claims;
using Gateway.Proxy.Tools;
using Gateway.Transforms.Catalog;

namespace Gateway.Proxy.Security.Authorization;

/// <summary>
/// tools/list shows a caller exactly the tools its route rules and the route's authorization policy let it call; the
/// dispatcher treats the rest as unknown.
/// </summary>
public sealed class RouteToolVisibility : IToolVisibility
{
    private readonly RouteAccessRequirements _requirements;
    private readonly CallerIdentityResolver _callers;
    private readonly AccessPolicy _policy;
    private readonly RouteAuthorizationPolicies _policies;

    public RouteToolVisibility(RouteAccessRequirements requirements, CallerIdentityResolver callers, AccessPolicy policy, RouteAuthorizationPolicies policies)
    {
        _requirements = requirements;
        _callers = callers;
        _policy = policy;
        _policies = policies;
    }

    public ValueTask<bool> IsVisibleAsync(ClaimsPrincipal user, ToolDefinition tool) =>
        _requirements.ForRouteId(tool.RouteId) is { } requirement && _policy.Evaluate(_callers.Resolve(user), requirement).IsAllowed
            ? _policies.AllowsAsync(user, tool.AuthorizationPolicy)
            : ValueTask.FromResult(false);
}
