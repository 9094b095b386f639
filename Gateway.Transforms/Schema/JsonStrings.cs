using System.Buffers;
using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Gateway.Transforms.Schema;

internal delegate bool CharsPredicate<in TState>(ReadOnlySpan<char> chars, TState state);

/// <summary>String measurements straight from the UTF-8 source, so the common case never materializes a string.</summary>
internal static class JsonStrings
{
    private const int StackCharLimit = 256;

    /// <summary>Length in Unicode code points, which is what JSON Schema's minLength/maxLength count.</summary>
    public static int CountCodePoints(JsonElement text)
    {
        var raw = Unquoted(text);
        int count = 0;
        for (int i = 0; i < raw.Length; i++)
        {
            byte b = raw[i];
            if (b == (byte)'\\')
            {
                i += EscapeLength(raw, i) - 1;
                count++;
            }
            else if ((b & 0xC0) != 0x80)
            {
                // Every code point has exactly one byte that is not a UTF-8 continuation byte (10xxxxxx).
                count++;
            }
        }
        return count;
    }

    /// <summary>Bytes taken by the escape at <paramref name="start"/>; a \uD83D\uDE00 surrogate pair is one code point.</summary>
    private static int EscapeLength(ReadOnlySpan<byte> raw, int start)
    {
        const int UnicodeEscapeLength = 6;
        if (raw[start + 1] != (byte)'u') return 2;
        if (!char.IsHighSurrogate(ReadUnicodeEscape(raw[start..]))) return UnicodeEscapeLength;
        var next = raw[(start + UnicodeEscapeLength)..];
        return next.Length >= UnicodeEscapeLength && next[0] == (byte)'\\' && next[1] == (byte)'u'
            && char.IsLowSurrogate(ReadUnicodeEscape(next))
            ? 2 * UnicodeEscapeLength
            : UnicodeEscapeLength;
    }

    /// <summary>The UTF-16 unit of a \uXXXX escape; the JSON reader has already checked its syntax.</summary>
    private static char ReadUnicodeEscape(ReadOnlySpan<byte> escape) =>
        Utf8Parser.TryParse(escape.Slice(2, 4), out ushort unit, out _, 'X') ? (char)unit : '\0';

    public static bool IsMatch(Regex regex, JsonElement text) =>
        Test(text, regex, static (chars, pattern) => pattern.IsMatch(chars));

    /// <summary>Runs a test over the decoded characters, on the stack or a pooled buffer unless the string has escapes.</summary>
    public static bool Test<TState>(JsonElement text, TState state, CharsPredicate<TState> predicate)
    {
        var raw = Unquoted(text);
        if (raw.IndexOf((byte)'\\') >= 0)
        {
            return TryDecode(text) is { } decoded && predicate(decoded, state);
        }

        char[]? rented = null;
        Span<char> chars = raw.Length <= StackCharLimit
            ? stackalloc char[StackCharLimit]
            : (rented = ArrayPool<char>.Shared.Rent(raw.Length));
        try
        {
            int written = Encoding.UTF8.GetChars(raw, chars);
            return predicate(chars[..written], state);
        }
        finally
        {
            if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        }
    }

    /// <summary>True when both strings decode to the same text.</summary>
    public static bool AreEqual(JsonElement left, JsonElement right)
    {
        var a = Unquoted(left);
        var b = Unquoted(right);
        if (a.IndexOf((byte)'\\') >= 0 || b.IndexOf((byte)'\\') >= 0)
        {
            string? decoded = TryDecode(right);
            if (decoded is not null && TryDecode(left) is not null) return left.ValueEquals(decoded);
        }
        return a.SequenceEqual(b);
    }

    public static int Hash(JsonElement text)
    {
        var raw = Unquoted(text);
        if (raw.IndexOf((byte)'\\') >= 0)
        {
            // Hash the decoded UTF-8 so "a" and "\u0061" agree, as AreEqual says they must.
            if (TryDecode(text) is { } decoded) raw = Encoding.UTF8.GetBytes(decoded);
        }
        var hash = new HashCode();
        hash.AddBytes(raw);
        return hash.ToHashCode() ^ (int)JsonValueKind.String;
    }

    /// <summary>
    /// The decoded string, or null when its escapes are not valid UTF-16 (a lone surrogate such as \ud800):
    /// the JSON reader accepts those, but .NET refuses to turn them into a string.
    /// </summary>
    public static string? TryDecode(JsonElement text)
    {
        try
        {
            return text.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The property name, or its escaped source text when it cannot be decoded (see <see cref="TryDecode"/>).</summary>
    public static string DecodeName(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            return Encoding.UTF8.GetString(JsonMarshal.GetRawUtf8PropertyName(property));
        }
    }

    private static ReadOnlySpan<byte> Unquoted(JsonElement text)
    {
        var raw = JsonMarshal.GetRawUtf8Value(text);
        return raw.Length >= 2 && raw[0] == (byte)'"' ? raw[1..^1] : raw;
    }
}
