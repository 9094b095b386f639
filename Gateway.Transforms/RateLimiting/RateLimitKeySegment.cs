using System.Buffers;
using System.Text;

namespace Gateway.Transforms.RateLimiting;

/// <summary>
/// Makes any value safe as one ':'-separated segment of a Redis key: ':' (the separator), '%' (the escape), '=' (the
/// tag separator of partition parts), the glob characters of KEYS/SCAN patterns, '{' and '}' (Redis Cluster hash tags),
/// and ASCII control characters and space become %XX. Escaping is injective, so no value can pose as another, and a
/// plain value such as <c>tenant-123</c> stays as it is, so <c>KEYS "ratelimit:tenant-123:*"</c> finds it.
/// </summary>
public static class RateLimitKeySegment
{
    private static readonly SearchValues<char> Escaped = SearchValues.Create(
        "%:=*?[]\\{}\u007f\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000a\u000b\u000c\u000d\u000e\u000f" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f ");

    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.AsSpan().ContainsAny(Escaped) ? EscapeSlow(value) : value;
    }

    private static string EscapeSlow(string value)
    {
        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (Escaped.Contains(c))
            {
                builder.Append('%').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
