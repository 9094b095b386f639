using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using Gateway.Transforms.Pipeline;

namespace Gateway.Proxy.RateLimiting;

/// <summary>
/// The partition of one call under a policy: one length-prefixed part per dimension (e.g. <c>u9:sub:alice|t6:search</c>),
/// so no claim value can forge another caller's partition. Authenticated callers are keyed by their <c>sub</c> claim,
/// anonymous ones by client IP; each under its own prefix so neither can pose as the other.
/// </summary>
internal static class RateLimitPartitionKey
{
    public const string SubjectClaim = "sub";
    public const string TenantClaim = "tenant";
    public const string TierClaim = "tier";

    private const int MaxDimensions = 4;

    public static string Build(IReadOnlyList<RateLimitPartitionDimension> dimensions, HttpContext context, string routeId, ToolCallFeature? toolCall)
    {
        var values = default(PartValues);
        var tags = default(PartTags);
        var length = 0;
        var count = Math.Min(dimensions.Count, MaxDimensions);
        for (var i = 0; i < count; i++)
        {
            var (tag, value) = Part(dimensions[i], context, routeId, toolCall);
            tags[i] = tag;
            values[i] = value;
            length += 1 + DigitCount(value.Length) + 1 + value.Length + (i > 0 ? 1 : 0);
        }

        return string.Create(length, (values, tags, count), static (span, state) =>
        {
            var position = 0;
            for (var i = 0; i < state.count; i++)
            {
                if (i > 0)
                {
                    span[position++] = '|';
                }

                var value = state.values[i];
                span[position++] = state.tags[i];
                value.Length.TryFormat(span[position..], out var written, default, CultureInfo.InvariantCulture);
                position += written;
                span[position++] = ':';
                value.AsSpan().CopyTo(span[position..]);
                position += value.Length;
            }
        });
    }

    /// <summary>The caller's identity for limits: <c>sub:&lt;subject&gt;</c>, else <c>ip:&lt;client address&gt;</c>.</summary>
    public static string Principal(HttpContext context)
    {
        var user = context.User;
        var subject = user.FindFirst(SubjectClaim)?.Value
            ?? (user.Identity?.IsAuthenticated == true ? user.FindFirst(ClaimTypes.NameIdentifier)?.Value : null);
        if (!string.IsNullOrEmpty(subject))
        {
            return "sub:" + subject;
        }

        var address = context.Connection.RemoteIpAddress;
        if (address is { IsIPv4MappedToIPv6: true })
        {
            address = address.MapToIPv4();
        }

        return address is null ? "ip:unknown" : "ip:" + address;
    }

    private static (char Tag, string Value) Part(RateLimitPartitionDimension dimension, HttpContext context, string routeId, ToolCallFeature? toolCall) =>
        dimension switch
        {
            RateLimitPartitionDimension.Principal => ('u', Principal(context)),
            RateLimitPartitionDimension.Tenant => ('n', context.User.FindFirst(TenantClaim)?.Value ?? string.Empty),
            RateLimitPartitionDimension.Tier => ('r', context.User.FindFirst(TierClaim)?.Value ?? string.Empty),
            _ => ('t', toolCall?.Tool.Name ?? routeId),
        };

    private static int DigitCount(int value)
    {
        var digits = 1;
        for (; value >= 10; value /= 10)
        {
            digits++;
        }

        return digits;
    }

    [InlineArray(MaxDimensions)]
    private struct PartValues
    {
        private string _element;
    }

    [InlineArray(MaxDimensions)]
    private struct PartTags
    {
        private char _element;
    }
}
