using System.Buffers;
using System.Globalization;

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

    /// <summary>The most characters <see cref="WriteEscaped"/> can write for a value of <paramref name="length"/> characters.</summary>
    public static int MaxEscapedLength(int length) => checked(length * 3);

    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.AsSpan().ContainsAny(Escaped))
        {
            return value;
        }

        var length = MaxEscapedLength(value.Length);
        var buffer = length <= 256 ? stackalloc char[length] : new char[length];
        return new string(buffer[..WriteEscaped(value, buffer)]);
    }

    /// <summary>Writes the escaped form of <paramref name="value"/>; <paramref name="destination"/> must hold <see cref="MaxEscapedLength"/> of it.</summary>
    /// <returns>The number of characters written.</returns>
    public static int WriteEscaped(ReadOnlySpan<char> value, Span<char> destination)
    {
        var written = 0;
        while (true)
        {
            var next = value.IndexOfAny(Escaped);
            var plain = next < 0 ? value : value[..next];
            plain.CopyTo(destination[written..]);
            written += plain.Length;
            if (next < 0)
            {
                return written;
            }

            // Every escaped character is ASCII, so two hex digits hold it.
            destination[written] = '%';
            ((int)value[next]).TryFormat(destination.Slice(written + 1, 2), out _, "X2", CultureInfo.InvariantCulture);
            written += 3;
            value = value[(next + 1)..];
        }
    }
}
