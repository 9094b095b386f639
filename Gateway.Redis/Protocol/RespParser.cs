using System.Buffers;
using System.Text;

namespace Gateway.Redis.Protocol;

/// <summary>
/// Strict, incremental RESP2 reply parser. A first pass validates and finds the end of one reply without allocating;
/// only a complete, valid reply is materialized, so a partial or hostile reply never causes allocation beyond the limits.
/// </summary>
internal static class RespParser
{
    private const int MaxIntegerLineLength = 20;

    /// <summary>
    /// Reads one reply from the start of <paramref name="buffer"/> and slices it off.
    /// Returns false when the reply is not complete yet.
    /// </summary>
    /// <exception cref="RedisProtocolException">The bytes are not valid RESP2 or exceed <paramref name="limits"/>.</exception>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, in RespLimits limits, out RedisValue value)
    {
        var scanner = new SequenceReader<byte>(buffer);
        if (!TryParse(ref scanner, limits, depth: 0, materialize: false, out _))
        {
            if (buffer.Length > limits.MaxReplyBytes)
            {
                throw Error($"reply exceeds the {limits.MaxReplyBytes}-byte limit");
            }

            value = default;
            return false;
        }

        var length = scanner.Consumed;
        if (length > limits.MaxReplyBytes)
        {
            throw Error($"reply exceeds the {limits.MaxReplyBytes}-byte limit");
        }

        var builder = new SequenceReader<byte>(buffer.Slice(0, length));
        TryParse(ref builder, limits, depth: 0, materialize: true, out value);
        buffer = buffer.Slice(length);
        return true;
    }

    private static bool TryParse(ref SequenceReader<byte> reader, in RespLimits limits, int depth, bool materialize, out RedisValue value)
    {
        value = default;
        if (!reader.TryRead(out var type))
        {
            return false;
        }

        switch (type)
        {
            case (byte)'+':
            case (byte)'-':
                if (!TryReadLine(ref reader, RespLimits.MaxLineLength, out var line))
                {
                    return false;
                }

                if (materialize)
                {
                    value = type == '+' ? RedisValue.SimpleString(DecodeSimple(line)) : RedisValue.Error(Decode(line));
                }

                return true;

            case (byte)':':
                if (!TryReadInteger(ref reader, out var integer))
                {
                    return false;
                }

                value = RedisValue.Integer(integer);
                return true;

            case (byte)'$':
                return TryParseBulk(ref reader, limits, materialize, out value);

            case (byte)'*':
                return TryParseArray(ref reader, limits, depth, materialize, out value);

            default:
                throw Error($"unexpected type byte 0x{type:X2} where a reply should start");
        }
    }

    private static bool TryParseBulk(ref SequenceReader<byte> reader, in RespLimits limits, bool materialize, out RedisValue value)
    {
        value = default;
        if (!TryReadInteger(ref reader, out var length))
        {
            return false;
        }

        if (length == -1)
        {
            return true;
        }

        if (length < 0)
        {
            throw Error($"negative bulk string length {length}");
        }

        if (length > limits.MaxBulkLength)
        {
            throw Error($"bulk string of {length} bytes exceeds the {limits.MaxBulkLength}-byte limit");
        }

        if (reader.Remaining < length + 2)
        {
            return false;
        }

        if (materialize)
        {
            var bytes = new byte[length];
            reader.TryCopyTo(bytes);
            value = RedisValue.BulkString(bytes);
        }

        reader.Advance(length);
        if (!reader.IsNext("\r\n"u8, advancePast: true))
        {
            throw Error("bulk string is not followed by CRLF");
        }

        return true;
    }

    private static bool TryParseArray(ref SequenceReader<byte> reader, in RespLimits limits, int depth, bool materialize, out RedisValue value)
    {
        value = default;
        if (!TryReadInteger(ref reader, out var count))
        {
            return false;
        }

        if (count == -1)
        {
            return true;
        }

        if (count < 0)
        {
            throw Error($"negative array length {count}");
        }

        if (count > limits.MaxArrayLength)
        {
            throw Error($"array of {count} elements exceeds the {limits.MaxArrayLength}-element limit");
        }

        if (depth >= RespLimits.MaxDepth)
        {
            throw Error($"arrays nested deeper than {RespLimits.MaxDepth} levels");
        }

        var items = materialize ? new RedisValue[count] : null;
        for (var i = 0; i < count; i++)
        {
            if (!TryParse(ref reader, limits, depth + 1, materialize, out var item))
            {
                return false;
            }

            if (items is not null)
            {
                items[i] = item;
            }
        }

        if (items is not null)
        {
            value = RedisValue.Array(items);
        }

        return true;
    }

    private static bool TryReadInteger(ref SequenceReader<byte> reader, out long value)
    {
        value = 0;
        if (!TryReadLine(ref reader, MaxIntegerLineLength, out var line))
        {
            return false;
        }

        Span<byte> digits = stackalloc byte[MaxIntegerLineLength];
        line.CopyTo(digits);
        digits = digits[..(int)line.Length];

        var negative = digits.Length > 0 && digits[0] == '-';
        var body = negative ? digits[1..] : digits;
        if (body.IsEmpty)
        {
            throw Error("empty number");
        }

        ulong magnitude = 0;
        foreach (var digit in body)
        {
            if (!char.IsAsciiDigit((char)digit))
            {
                throw Error($"non-digit 0x{digit:X2} in a number");
            }

            magnitude = (magnitude * 10) + (ulong)(digit - '0');
            if (magnitude > (ulong)long.MaxValue + 1)
            {
                throw Error("number overflows 64 bits");
            }
        }

        if (!negative && magnitude > long.MaxValue)
        {
            throw Error("number overflows 64 bits");
        }

        value = negative ? (long)(0 - magnitude) : (long)magnitude;
        return true;
    }

    /// <summary>Reads up to CRLF. A lone CR or LF, or a line longer than <paramref name="maxLength"/>, is a protocol error.</summary>
    private static bool TryReadLine(ref SequenceReader<byte> reader, int maxLength, out ReadOnlySequence<byte> line)
    {
        var start = reader.Position;
        if (!reader.TryAdvanceToAny("\r\n"u8, advancePastDelimiter: false))
        {
            line = default;
            if (reader.Sequence.Slice(start).Length > maxLength)
            {
                throw Error($"line longer than {maxLength} bytes without CRLF");
            }

            return false;
        }

        line = reader.Sequence.Slice(start, reader.Position);
        if (line.Length > maxLength)
        {
            throw Error($"line longer than {maxLength} bytes");
        }

        reader.TryRead(out var delimiter);
        if (delimiter != '\r')
        {
            throw Error("line feed without carriage return");
        }

        if (!reader.TryRead(out var next))
        {
            return false;
        }

        if (next != '\n')
        {
            throw Error("carriage return not followed by line feed");
        }

        return true;
    }

    private static string DecodeSimple(in ReadOnlySequence<byte> line)
    {
        if (line.IsSingleSegment)
        {
            var span = line.FirstSpan;
            if (span.SequenceEqual("OK"u8))
            {
                return "OK";
            }

            if (span.SequenceEqual("PONG"u8))
            {
                return "PONG";
            }

            if (span.SequenceEqual("QUEUED"u8))
            {
                return "QUEUED";
            }
        }

        return Decode(line);
    }

    private static string Decode(in ReadOnlySequence<byte> line) => Encoding.UTF8.GetString(line);

    private static RedisProtocolException Error(string problem) =>
        new($"Malformed RESP2 reply from the Redis server: {problem}. The connection was closed.");
}
