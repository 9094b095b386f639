using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Gateway.Transforms.Validation.Limits;

/// <summary>
/// Checks tool-call arguments against <see cref="ArgumentLimits"/> with one forward pass of a
/// <see cref="Utf8JsonReader"/> over the element's own UTF-8 bytes: no recursion (so hostile nesting cannot overflow
/// the stack) and no allocation when the arguments pass, for documents up to 64 levels deep.
/// </summary>
public static class ArgumentLimitChecker
{
    /// <summary>Returns the first limit broken, in document order after the size checks, or null when all hold.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit is negative (a configuration error).</exception>
    public static LimitViolation? Check(JsonElement arguments, ArgumentLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentOutOfRangeException.ThrowIfNegative(limits.MaxDepth, nameof(limits.MaxDepth));
        ArgumentOutOfRangeException.ThrowIfNegative(limits.MaxStringLength, nameof(limits.MaxStringLength));
        ArgumentOutOfRangeException.ThrowIfNegative(limits.MaxArguments, nameof(limits.MaxArguments));
        ArgumentOutOfRangeException.ThrowIfNegative(limits.MaxRequestBodyBytes, nameof(limits.MaxRequestBodyBytes));
        if (arguments.ValueKind == JsonValueKind.Undefined)
        {
            return null;
        }

        ReadOnlySpan<byte> json = JsonMarshal.GetRawUtf8Value(arguments);
        if (json.Length > limits.MaxRequestBodyBytes)
        {
            return new LimitViolation(nameof(ArgumentLimits.MaxRequestBodyBytes), "$", json.Length, limits.MaxRequestBodyBytes,
                $"arguments are {json.Length} bytes of JSON; the limit is {limits.MaxRequestBodyBytes} ({nameof(ArgumentLimits.MaxRequestBodyBytes)}). Send less data per call.");
        }

        int members = arguments.ValueKind switch
        {
            JsonValueKind.Object => arguments.GetPropertyCount(),
            JsonValueKind.Array => arguments.GetArrayLength(),
            _ => 0,
        };
        if (members > limits.MaxArguments)
        {
            return new LimitViolation(nameof(ArgumentLimits.MaxArguments), "$", members, limits.MaxArguments,
                $"arguments have {members} top-level members; the limit is {limits.MaxArguments} ({nameof(ArgumentLimits.MaxArguments)}). Pass fewer arguments.");
        }

        return Scan(json, limits);
    }

    private static LimitViolation? Scan(ReadOnlySpan<byte> json, ArgumentLimits limits)
    {
        // The reader must be allowed one level more than our limit so that we, not it, notice the excess.
        int readerMaxDepth = limits.MaxDepth >= int.MaxValue - 1 ? int.MaxValue : limits.MaxDepth + 1;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = readerMaxDepth });
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    int depth = reader.CurrentDepth + 1;
                    if (depth > limits.MaxDepth)
                    {
                        string path = JsonPathLocator.PathTo(json, reader.TokenStartIndex, readerMaxDepth);
                        return new LimitViolation(nameof(ArgumentLimits.MaxDepth), path, depth, limits.MaxDepth,
                            $"argument '{path}' is nested {depth} levels deep; the limit is {limits.MaxDepth} ({nameof(ArgumentLimits.MaxDepth)}). Flatten the structure.");
                    }

                    break;
                case JsonTokenType.String or JsonTokenType.PropertyName or JsonTokenType.Number:
                    long length = TextLength(ref reader, limits.MaxStringLength);
                    if (length > limits.MaxStringLength)
                    {
                        string path = JsonPathLocator.PathTo(json, reader.TokenStartIndex, readerMaxDepth);
                        string what = reader.TokenType switch
                        {
                            JsonTokenType.PropertyName => "has a property name",
                            JsonTokenType.Number => "is a number literal",
                            _ => "is a string",
                        };
                        return new LimitViolation(nameof(ArgumentLimits.MaxStringLength), path, length, limits.MaxStringLength,
                            $"argument '{path}' {what} of {length} characters; the limit is {limits.MaxStringLength} ({nameof(ArgumentLimits.MaxStringLength)}). Shorten it or split the work across calls.");
                    }

                    break;
            }
        }

        return null;
    }

    /// <summary>UTF-16 length after unescaping; exact only when it may exceed <paramref name="max"/>.</summary>
    private static long TextLength(ref Utf8JsonReader reader, int max)
    {
        ReadOnlySpan<byte> raw = reader.ValueSpan;

        // Unescaping only shrinks, and UTF-16 never needs more units than UTF-8 has bytes: short raw text always fits.
        if (raw.Length <= max)
        {
            return raw.Length;
        }

        if (!reader.ValueIsEscaped)
        {
            return Encoding.UTF8.GetCharCount(raw);
        }

        char[] buffer = ArrayPool<char>.Shared.Rent(raw.Length);
        try
        {
            return reader.CopyString(buffer);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }
}
