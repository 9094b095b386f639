using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Runtime.InteropServices;
using System.Text.Unicode;
using Gateway.Transforms.Schema;
using Gateway.Transforms.Validation.Paths;

namespace Gateway.Transforms.Mapping;

/// <summary>
/// Checks the text of one argument for one place of the backend request (a path segment, a query value, a header
/// value) and refuses what could change the request's shape there. Problems are phrased to follow "Argument 'x' ...".
/// </summary>
internal static class ArgumentValues
{
    private const int MaxDecodingLayers = 8;

    /// <summary>
    /// A string as is, a number as its JSON text, true/false. Null with the problem for null, arrays, objects and
    /// strings whose escapes are not valid UTF-16 (a lone <c>\ud800</c>, which JSON readers accept).
    /// </summary>
    public static string? TextOf(JsonElement value, out string? problem)
    {
        problem = null;
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                var text = JsonStrings.TryDecode(value);
                if (text is null)
                {
                    problem = "contains an escaped unpaired UTF-16 surrogate (such as \\ud800), which has no UTF-8 form";
                }

                return text;
            case JsonValueKind.Number:
                return value.GetRawText();
            case JsonValueKind.True:
                return "true";
            case JsonValueKind.False:
                return "false";
            default:
                problem = $"is {Article(value.ValueKind)}; it must be a string, number or boolean here";
                return null;
        }
    }

    /// <summary>
    /// The first string or name anywhere in the arguments whose escapes are not valid UTF-16 (a lone <c>\ud800</c>):
    /// JSON readers accept it, but it has no UTF-8 form, so no body, path or header could carry it.
    /// </summary>
    public static ArgumentProblem? FindUndecodableText(JsonElement arguments)
    {
        var raw = JsonMarshal.GetRawUtf8Value(arguments);
        if (raw.IndexOf("\\u"u8) < 0)
        {
            return null;
        }

        var reader = new Utf8JsonReader(raw);
        string? argument = null;
        while (reader.Read())
        {
            if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName))
            {
                continue;
            }

            var decodable = !reader.ValueIsEscaped || CanCopy(ref reader);
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
            {
                argument = decodable ? reader.GetString() : Encoding.UTF8.GetString(reader.ValueSpan);
            }

            if (!decodable)
            {
                return new ArgumentProblem(argument ?? "?", "contains an escaped unpaired UTF-16 surrogate (such as \\ud800), which has no UTF-8 form");
            }
        }

        return null;
    }

    private static bool CanCopy(ref Utf8JsonReader reader)
    {
        var buffer = ArrayPool<char>.Shared.Rent(reader.ValueSpan.Length);
        try
        {
            reader.CopyString(buffer);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>Control characters (C0, DEL, C1) and unpaired surrogates, which no place of a request may carry.</summary>
    public static string? CheckText(string text)
    {
        var start = text.AsSpan().IndexOfAnyExceptInRange(' ', '~');
        if (start < 0)
        {
            return null;
        }

        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (PathCharacters.IsControl(c))
            {
                return $"contains the control character U+{(int)c:X4} at position {i}";
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return $"contains an unpaired UTF-16 surrogate (U+{(int)c:X4}) at position {i}, which has no UTF-8 form";
            }
        }

        return null;
    }

    /// <summary>
    /// A path hole: not empty, and neither the text nor any percent-decoding of it contains a control character, a
    /// look-alike of '.', '/', '\' or ':', or a piece between '/' or '\' made only of dots. So no backend or proxy,
    /// however often it decodes, sees a "." or ".." segment, and the wire path keeps the template's segments.
    /// </summary>
    public static string? CheckPathSegment(string text)
    {
        if (text.Length == 0)
        {
            return "is empty; a path segment needs a non-empty value";
        }

        if (CheckText(text) is { } problem)
        {
            return problem;
        }

        var layer = text;
        for (var depth = 0; ; depth++)
        {
            var index = PathCharacters.IndexOfDisallowed(layer, out _);
            if (index >= 0)
            {
                return $"{(depth == 0 ? "contains" : "percent-decodes to text containing")} {PathCharacters.Explain(layer[index])} (U+{(int)layer[index]:X4})";
            }

            if (HasDotSegment(layer))
            {
                return depth == 0
                    ? "is or contains a '.' or '..' segment, which would climb out of the backend path"
                    : "percent-decodes to a '.' or '..' segment, which a backend or proxy that decodes again would resolve";
            }

            if (PercentDecoding.IndexOfEscape(layer) < 0)
            {
                return null;
            }

            if (depth == MaxDecodingLayers)
            {
                return $"is percent-encoded more than {MaxDecodingLayers} times over";
            }

            if (!TryDecodeOnce(layer, out layer))
            {
                return "contains percent-encoded bytes that are not UTF-8 (such as the overlong forms some servers decode to '.' or '/')";
            }
        }
    }

    /// <summary>
    /// A header value: visible ASCII with inner spaces passes unchanged. Anything else is refused, or with
    /// <see cref="HeaderValueEncoding.Percent"/> the whole value is percent-encoded as UTF-8; control characters are
    /// refused either way.
    /// </summary>
    public static string? CheckHeaderValue(string text, HeaderValueEncoding encoding, out string wire)
    {
        wire = text;
        if (CheckText(text) is { } problem)
        {
            return problem;
        }

        var outside = text.AsSpan().IndexOfAnyExceptInRange(' ', '~');
        var padded = text.Length > 0 && (text[0] == ' ' || text[^1] == ' ');
        if (encoding == HeaderValueEncoding.Percent)
        {
            if (outside >= 0 || padded || text.Contains('%'))
            {
                wire = Uri.EscapeDataString(text);
            }

            return null;
        }

        if (outside >= 0)
        {
            return $"contains U+{(int)text[outside]:X4} at position {outside}; header values must be visible ASCII " +
                "(the route can opt in to UTF-8 percent-encoding with \"HeaderEncoding\": \"percent\")";
        }

        return padded ? "starts or ends with a space, which HTTP would strip from a header value" : null;
    }

    private static bool HasDotSegment(ReadOnlySpan<char> text)
    {
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] is '/' or '\\')
            {
                if (IsOnlyDots(text[start..i]))
                {
                    return true;
                }

                start = i + 1;
            }
        }

        return false;
    }

    private static bool IsOnlyDots(ReadOnlySpan<char> piece)
    {
        if (piece.IsEmpty)
        {
            return false;
        }

        foreach (var c in piece)
        {
            // U+2026 (horizontal ellipsis) is "..." after NFKC normalization.
            if (c is not ('.' or '\u2026'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Decodes every well-formed %XX once, leaving a stray '%' as it is (the way lenient servers decode), and refuses
    /// bytes that are not UTF-8. Only reached for text that contains an escape.
    /// </summary>
    private static bool TryDecodeOnce(string text, out string decoded)
    {
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        var chars = ArrayPool<char>.Shared.Rent(text.Length);
        try
        {
            var count = 0;
            for (var i = 0; i < text.Length;)
            {
                if (text[i] == '%' && i + 2 < text.Length && char.IsAsciiHexDigit(text[i + 1]) && char.IsAsciiHexDigit(text[i + 2]))
                {
                    bytes[count++] = (byte)((HexValue(text[i + 1]) << 4) | HexValue(text[i + 2]));
                    i += 3;
                    continue;
                }

                var length = char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? 2 : 1;
                count += Encoding.UTF8.GetBytes(text.AsSpan(i, length), bytes.AsSpan(count));
                i += length;
            }

            if (Utf8.ToUtf16(bytes.AsSpan(0, count), chars, out _, out var written, replaceInvalidSequences: false) != OperationStatus.Done)
            {
                decoded = string.Empty;
                return false;
            }

            decoded = new string(chars, 0, written);
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private static string Article(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.Null => "null",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
