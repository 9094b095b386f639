using System.Buffers;
using System.Globalization;
using System.Text;

namespace Gateway.Redis.Protocol;

/// <summary>Encodes commands as RESP2 arrays of bulk strings directly into a buffer writer.</summary>
internal static class RespWriter
{
    private const int MaxHeaderLength = 1 + 20 + 2;

    public static void WriteCommand(IBufferWriter<byte> writer, in RedisCommand command)
    {
        WriteHeader(writer, (byte)'*', command.PartCount);
        WriteText(writer, command.Name);
        if (command.Script is { } script)
        {
            WriteText(writer, script);
            WriteInteger(writer, command.Keys.Length);
            foreach (var key in command.Keys.Span)
            {
                WriteText(writer, key);
            }
        }

        foreach (var arg in command.Args.Span)
        {
            WriteArg(writer, arg);
        }
    }

    private static void WriteArg(IBufferWriter<byte> writer, in RedisArg arg)
    {
        switch (arg.Kind)
        {
            case RedisArgKind.Text:
                WriteText(writer, arg.Text);
                break;
            case RedisArgKind.Integer:
                WriteInteger(writer, arg.Integer);
                break;
            case RedisArgKind.Real:
                WriteReal(writer, arg.Real);
                break;
            default:
                WriteBulk(writer, arg.Bytes.Span);
                break;
        }
    }

    private static void WriteHeader(IBufferWriter<byte> writer, byte prefix, long value)
    {
        var span = writer.GetSpan(MaxHeaderLength);
        span[0] = prefix;
        value.TryFormat(span[1..], out var digits, default, CultureInfo.InvariantCulture);
        span[1 + digits] = (byte)'\r';
        span[2 + digits] = (byte)'\n';
        writer.Advance(digits + 3);
    }

    private static void WriteText(IBufferWriter<byte> writer, string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        WriteHeader(writer, (byte)'$', length);
        var span = writer.GetSpan(length + 2);
        Encoding.UTF8.GetBytes(text, span);
        span[length] = (byte)'\r';
        span[length + 1] = (byte)'\n';
        writer.Advance(length + 2);
    }

    private static void WriteInteger(IBufferWriter<byte> writer, long value)
    {
        Span<byte> digits = stackalloc byte[20];
        value.TryFormat(digits, out var length, default, CultureInfo.InvariantCulture);
        WriteBulk(writer, digits[..length]);
    }

    private static void WriteReal(IBufferWriter<byte> writer, double value)
    {
        if (double.IsInfinity(value))
        {
            WriteBulk(writer, value > 0 ? "+inf"u8 : "-inf"u8);
            return;
        }

        Span<byte> text = stackalloc byte[32];
        value.TryFormat(text, out var length, "R", CultureInfo.InvariantCulture);
        WriteBulk(writer, text[..length]);
    }

    private static void WriteBulk(IBufferWriter<byte> writer, ReadOnlySpan<byte> bytes)
    {
        WriteHeader(writer, (byte)'$', bytes.Length);
        var span = writer.GetSpan(bytes.Length + 2);
        bytes.CopyTo(span);
        span[bytes.Length] = (byte)'\r';
        span[bytes.Length + 1] = (byte)'\n';
        writer.Advance(bytes.Length + 2);
    }
}
