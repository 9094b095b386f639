using System.Globalization;

namespace Gateway.Redis;

/// <summary>
/// One command argument, encoded straight into the connection's send buffer (no intermediate string or byte array).
/// </summary>
public readonly struct RedisArg
{
    private readonly string? _text;
    private readonly ReadOnlyMemory<byte> _bytes;
    private readonly long _integer;
    private readonly double _real;

    private RedisArg(RedisArgKind kind, string? text, ReadOnlyMemory<byte> bytes, long integer, double real)
    {
        Kind = kind;
        _text = text;
        _bytes = bytes;
        _integer = integer;
        _real = real;
    }

    internal RedisArgKind Kind { get; }

    internal string Text => _text ?? string.Empty;

    internal ReadOnlyMemory<byte> Bytes => _bytes;

    internal long Integer => _integer;

    internal double Real => _real;

    public static implicit operator RedisArg(string value) => new(RedisArgKind.Text, value ?? string.Empty, default, 0, 0);

    public static implicit operator RedisArg(long value) => new(RedisArgKind.Integer, null, default, value, 0);

    public static implicit operator RedisArg(int value) => new(RedisArgKind.Integer, null, default, value, 0);

    /// <exception cref="ArgumentException">NaN, which Redis cannot represent; rejected here so a command is never half-written.</exception>
    public static implicit operator RedisArg(double value) => double.IsNaN(value)
        ? throw new ArgumentException("NaN cannot be sent to Redis.", nameof(value))
        : new(RedisArgKind.Real, null, default, 0, value);

    public static implicit operator RedisArg(ReadOnlyMemory<byte> value) => new(RedisArgKind.Bytes, null, value, 0, 0);

    public static implicit operator RedisArg(byte[] value) => new(RedisArgKind.Bytes, null, value, 0, 0);

    public override string ToString() => Kind switch
    {
        RedisArgKind.Text => Text,
        RedisArgKind.Integer => _integer.ToString(CultureInfo.InvariantCulture),
        RedisArgKind.Real => _real.ToString("R", CultureInfo.InvariantCulture),
        _ => $"({_bytes.Length} bytes)",
    };
}
