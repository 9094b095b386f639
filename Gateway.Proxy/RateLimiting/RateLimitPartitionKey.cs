using System.Buffers;
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
        var key = new PartitionKeyWriter(stackalloc char[256]);
        try
        {
            var dimensionCount = Math.Min(dimensions.Count, MaxDimensions);
            for (var i = 0; i < dimensionCount; i++)
            {
                if (dimensions[i] == RateLimitPartitionDimension.Tenant)
                {
                    key.Append(tag: default, caller.Tenant);
                }
            }

            for (var i = 0; i < dimensionCount; i++)
            {
                switch (dimensions[i])
                {
                    case RateLimitPartitionDimension.Tenant:
                        break;
                    case RateLimitPartitionDimension.Principal:
                        key.Append("u=", caller.PrincipalKey ?? CallerIdentityResolver.ClientAddressKey(context));
                        break;
                    case RateLimitPartitionDimension.Tier:
                        key.Append("r=", caller.Tier);
                        break;
                    default:
                        key.Append("t=", toolName ?? routeId);
                        break;
                }
            }

            return key.ToString();
        }
        finally
        {
            key.Dispose();
        }
    }

    /// <summary>Writes the parts into one buffer, so a call's key costs one string.</summary>
    private ref struct PartitionKeyWriter
    {
        private Span<char> _buffer;
        private char[]? _rented;
        private int _length;
        private int _parts;

        public PartitionKeyWriter(Span<char> initial) => _buffer = initial;

        public void Append(ReadOnlySpan<char> tag, string? value)
        {
            var segment = value ?? string.Empty;
            Reserve(1 + tag.Length + RateLimitKeySegment.MaxEscapedLength(segment.Length));
            if (_parts++ > 0)
            {
                _buffer[_length++] = ':';
            }

            tag.CopyTo(_buffer[_length..]);
            _length += tag.Length;
            _length += RateLimitKeySegment.WriteEscaped(segment, _buffer[_length..]);
        }

        public override readonly string ToString() => new(_buffer[.._length]);

        public void Dispose()
        {
            if (_rented is not null)
            {
                ArrayPool<char>.Shared.Return(_rented);
                _rented = null;
            }
        }

        private void Reserve(int more)
        {
            if (_length + more <= _buffer.Length)
            {
                return;
            }

            var bigger = ArrayPool<char>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + more));
            _buffer[.._length].CopyTo(bigger);
            Dispose();
            _buffer = _rented = bigger;
        }
    }
}
