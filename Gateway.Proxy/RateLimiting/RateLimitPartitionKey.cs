using System.Globalization;
using System.Runtime.CompilerServices;
using Gateway.Proxy.Security.Authorization;
using Gateway.Transforms.Pipeline;

namespace Gateway.Proxy.RateLimiting;

/// <summary>
/// The partition of one call under a policy: one length-prefixed part per dimension (e.g. <c>u9:sub:alice|t6:search</c>),
/// so no claim value can forge another caller's partition. Authenticated callers are keyed by their subject (the
/// configured claim, or the API key's subject), anonymous ones by client IP; each under its own prefix so neither can
/// pose as the other. Tenant and tier come from the same <see cref="CallerIdentity"/>.
/// </summary>
internal static class RateLimitPartitionKey
{
    private const int MaxDimensions = 4;

    public static string Build(IReadOnlyList<RateLimitPartitionDimension> dimensions, CallerIdentity caller, HttpContext context, string routeId, string? toolName)
    {
        var values = default(PartValues);
        var tags = default(PartTags);
        var length = 0;
        var count = Math.Min(dimensions.Count, MaxDimensions);
        for (var i = 0; i < count; i++)
        {
            var (tag, value) = Part(dimensions[i], caller, context, routeId, toolName);
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

    private static (char Tag, string Value) Part(RateLimitPartitionDimension dimension, CallerIdentity caller, HttpContext context, string routeId, string? toolName) =>
        dimension switch
        {
            RateLimitPartitionDimension.Principal => ('u', caller.PrincipalKey ?? CallerIdentityResolver.ClientAddressKey(context)),
            RateLimitPartitionDimension.Tenant => ('n', caller.Tenant ?? string.Empty),
            RateLimitPartitionDimension.Tier => ('r', caller.Tier ?? string.Empty),
            _ => ('t', toolName ?? routeId),
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
