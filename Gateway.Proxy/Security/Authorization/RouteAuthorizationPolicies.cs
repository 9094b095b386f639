using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace Gateway.Proxy.Security.Authorization;

/// <summary>
/// A tool route's YARP <c>AuthorizationPolicy</c> (an ASP.NET authorization policy), evaluated with
/// <see cref="IAuthorizationService"/> for tool calls and tool lists. REST passthrough requests meet the same policy in
/// ASP.NET's authorization middleware; tool calls never pass that middleware, so without this a policy on a tool route
/// would be accepted at load and ignored. YARP's config validation refuses a route whose policy does not exist.
/// </summary>
public sealed class RouteAuthorizationPolicies
{
    private readonly IAuthorizationPolicyProvider _policies;
    private readonly IAuthorizationService _authorization;

    public RouteAuthorizationPolicies(IAuthorizationPolicyProvider policies, IAuthorizationService authorization)
    {
        _policies = policies;
        _authorization = authorization;
    }

    public ValueTask<bool> AllowsAsync(ClaimsPrincipal user, string? policyName) =>
        NamesAPolicy(policyName) ? EvaluateAsync(user, policyName!) : ValueTask.FromResult(true);

    // "Anonymous" is YARP's "no authorization"; the gateway's own access rules (Gateway.* metadata) handle it.
    private static bool NamesAPolicy(string? name) =>
        !string.IsNullOrEmpty(name) && !string.Equals(name, "Anonymous", StringComparison.OrdinalIgnoreCase);

    private async ValueTask<bool> EvaluateAsync(ClaimsPrincipal user, string name)
    {
        var policy = string.Equals(name, "Default", StringComparison.OrdinalIgnoreCase)
            ? await _policies.GetDefaultPolicyAsync()
            : await _policies.GetPolicyAsync(name);
        if (policy is null)
        {
            // Refused at load; reachable only if the policy provider changed since. Deny rather than ignore.
            return false;
        }

        var result = await _authorization.AuthorizeAsync(user, resource: null, policy);
        return result.Succeeded;
    }
}
