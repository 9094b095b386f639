using System.Globalization;
using System.Text;

namespace Gateway.Redis;

/// <summary>One RESP2 reply. Null bulk strings and null arrays are both <see cref="RedisValueKind.Null"/>.</summary>
public readonly struct RedisValue
{
    private readonly object? _payload;
    private readonly long _integer;

    private RedisValue(RedisValueKind kind, object? payload, long integer)
    {
        Kind = kind;
        _payload = payload;
        _integer = integer;
    }

    public static RedisValue Null => default;

    public RedisValueKind Kind { get; }

    public bool IsNull => Kind == RedisValueKind.Null;

    /// <summary>Element count of an array reply; 0 for every other kind.</summary>
    public int Length => _payload is RedisValue[] items ? items.Length : 0;

    public RedisValue this[int index] => AsArray()[index];

    internal static RedisValue SimpleString(string text) => new(RedisValueKind.SimpleString, text, 0);

    internal static RedisValue Error(string text) => new(RedisValueKind.Error, text, 0);

    internal static RedisValue Integer(long value) => new(RedisValueKind.Integer, null, value);

    internal static RedisValue BulkString(byte[] bytes) => new(RedisValueKind.BulkString, bytes, 0);

    internal static RedisValue Array(RedisValue[] items) => new(RedisValueKind.Array, items, 0);

    /// <summary>The integer value; bulk and simple strings holding a base-10 integer are converted too.</summary>
    public long AsInt64()
    {
        if (TryGetInt64(out var value))
        {
            return value;
        }

        throw new InvalidCastException($"Redis reply of kind {Kind} is not an integer.");
    }

    public bool TryGetInt64(out long value)
    {
        switch (_payload)
        {
            case null when Kind == RedisValueKind.Integer:
                value = _integer;
                return true;
            case byte[] bytes:
                return long.TryParse(bytes, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
            case string text when Kind == RedisValueKind.SimpleString:
                return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
            default:
                value = 0;
                return false;
        }
    }

    /// <summary>Text of a simple string, error or (UTF-8) bulk string; the decimal text of an integer; null for Null.</summary>
    public string? AsString() => _payload switch
    {
        string text => text,
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        null when Kind == RedisValueKind.Integer => _integer.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>The raw bytes of a bulk string; empty for every other kind.</summary>
    public ReadOnlyMemory<byte> AsBytes() => _payload as byte[] ?? ReadOnlyMemory<byte>.Empty;

    /// <summary>The elements of an array reply; empty for every other kind.</summary>
    public ReadOnlySpan<RedisValue> AsArray() => _payload as RedisValue[] ?? ReadOnlySpan<RedisValue>.Empty;

    public override string ToString() => Kind switch
    {
        RedisValueKind.Null => "(nil)",
        RedisValueKind.Array => $"(array of {Length})",
        _ => AsString() ?? string.Empty,
    };
}
