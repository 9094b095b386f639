using Yarp.ReverseProxy.Configuration;

namespace Gateway.Proxy.RateLimiting;

/// <summary>
/// Wraps YARP's <see cref="IConfigValidator"/> so a route's <c>RateLimiterPolicy</c> is checked against the gateway's
/// policies (Gateway:RateLimiting:Policies, read live) instead of ASP.NET Core's RateLimiterOptions, which the gateway
/// does not use: tool calls never pass the endpoint rate-limiting middleware. <c>Default</c> and <c>Disable</c> keep
/// YARP's meaning and YARP's own checks. This stays a wrapper rather than a YARP 2.3 <c>IRouteValidator</c>: YARP's own
/// route validator would still look the name up in ASP.NET's RateLimiterOptions (fixed at startup, while the gateway's
/// policies reload live) and report every gateway policy as unknown.
/// </summary>
public sealed class RateLimitPolicyRouteValidator : IConfigValidator
{
    private readonly IConfigValidator _inner;
    private readonly RateLimitPolicies _policies;

    public RateLimitPolicyRouteValidator(IConfigValidator inner, RateLimitPolicies policies)
    {
        _inner = inner;
        _policies = policies;
    }

    public async ValueTask<IList<Exception>> ValidateRouteAsync(RouteConfig route)
    {
        ArgumentNullException.ThrowIfNull(route);
        var policy = route.RateLimiterPolicy;
        if (string.IsNullOrEmpty(policy) || RateLimitPolicies.IsReservedName(policy))
        {
            return await _inner.ValidateRouteAsync(route);
        }

        var errors = new List<Exception>(await _inner.ValidateRouteAsync(route with { RateLimiterPolicy = null }));
        if (!_policies.IsDeclared(policy))
        {
            var declared = _policies.Names.Count == 0 ? "none" : string.Join(", ", _policies.Names.Order(StringComparer.OrdinalIgnoreCase));
            errors.Add(new ArgumentException(
                $"Route '{route.RouteId}': RateLimiterPolicy '{policy}' is not declared in {RateLimitingOptions.SectionName}:Policies " +
                $"(declared: {declared}). Declare it in appsettings.json, or use '{RateLimitPolicies.DefaultRouteValue}' for the default limit " +
                $"or '{RateLimitPolicies.DisableRouteValue}' for none."));
        }

        return errors;
    }

    public ValueTask<IList<Exception>> ValidateClusterAsync(ClusterConfig cluster) => _inner.ValidateClusterAsync(cluster);
}
