using System.Security.Claims;
using Gateway.Proxy.Security.Authorization;
using Gateway.Transforms.Catalog;

namespace Gateway.Proxy.Tools;

/// <summary>Decides whether a caller may see (and therefore call) a tool.</summary>
public interface IToolVisibility
{
    ValueTask<bool> IsVisibleAsync(ClaimsPrincipal user, ToolDefinition tool);
}

/// <summary>Without the gateway's access rules (authentication off), only a tool route's authorization policy decides.</summary>
public sealed class PolicyToolVisibility : IToolVisibility
{
    private readonly RouteAuthorizationPolicies _policies;

    public PolicyToolVisibility(RouteAuthorizationPolicies policies) => _policies = policies;

    public ValueTask<bool> IsVisibleAsync(ClaimsPrincipal user, ToolDefinition tool) => _policies.AllowsAsync(user, tool.AuthorizationPolicy);
}
