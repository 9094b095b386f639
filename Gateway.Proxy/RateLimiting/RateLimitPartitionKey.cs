using System.Runtime.CompilerServices;
using Gateway.Proxy.Security.Authorization;
using Gateway.Transforms.Pipeline;
using Gateway.Transforms.RateLimiting;

namespace Gateway.Proxy.RateLimiting;

/// <summary>
/// The partition of one call under a policy, as ':'-separated parts whose values are escaped
/// (<see cref="RateLimitKeySegment"/>), so no claim value can forge another caller's partition. The tenant comes first
/// and bare (<c>acme:u=sub%3Aalice</c>), so a tenant's Redis keys all start <c>ratelimit:acme:</c>; the other parts are
/// tagged (<c>u=</c> principal, <c>r=</c> tier, <c>t=</c> tool). Authenticated callers are keyed by their subject (the
/// configured claim, or the API key's subject), anonymous ones by client IP; each under its own prefix so neither can
/// pose as the other. Tenant and tier come from the same <see cref="CallerIdentity"/>.
/// </summary>
internal static class RateLimitPartitionKey
{
    private const int MaxDimensions = 4;

    public static string Build(IReadOnlyList<RateLimitPartitionDimension> dimensions, CallerIdentity caller, HttpContext context, string routeId, string? toolName)
    {
        var parts = default(Parts);
        var count = 0;
        var dimensionCount = Math.Min(dimensions.Count, MaxDimensions);
        for (var i = 0; i < dimensionCount; i++)
        {
            if (dimensions[i] == RateLimitPartitionDimension.Tenant)
            {
                parts[count++] = RateLimitKeySegment.Escape(caller.Tenant ?? string.Empty);
            }
        }

        for (var i = 0; i < dimensionCount; i++)
        {
            var part = dimensions[i] switch
            {
                RateLimitPartitionDimension.Tenant => null,
                RateLimitPartitionDimension.Principal => "u=" + RateLimitKeySegment.Escape(caller.PrincipalKey ?? CallerIdentityResolver.ClientAddressKey(context)),
                RateLimitPartitionDimension.Tier => "r=" + RateLimitKeySegment.Escape(caller.Tier ?? string.Empty),
                _ => "t=" + RateLimitKeySegment.Escape(toolName ?? routeId),
            };
            if (part is not null)
            {
                parts[count++] = part;
            }
        }

        return string.Join(':', ((ReadOnlySpan<string?>)parts)[..count]);
    }

    [InlineArray(MaxDimensions)]
    private struct Parts
    {
        private string? _element;
    }
}
