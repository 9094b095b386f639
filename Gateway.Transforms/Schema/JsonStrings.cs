using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Gateway.Transforms.Schema;

/// <summary>String measurements straight from the UTF-8 source, so the common case never materializes a string.</summary>
internal static class JsonStrings
{
    private const int StackCharLimit = 256;

    /// <summary>Length in Unicode code points, which is what JSON Schema's minLength/maxLength count.</summary>
    public static int CountCodePoints(JsonElement text)
    {
        var raw = Unquoted(text);
        if (raw.IndexOf((byte)'\\') >= 0)
        {
            return CountCodePoints(text.GetString()!);
        }

        int count = 0;
        foreach (byte b in raw)
        {
            // Every code point has exactly one byte that is not a UTF-8 continuation byte (10xxxxxx).
            if ((b & 0xC0) != 0x80) count++;
        }
        return count;
    }

    public static bool IsMatch(Regex regex, JsonElement text)
    {
        var raw = Unquoted(text);
        if (raw.IndexOf((byte)'\\') >= 0)
        {
            return regex.IsMatch(text.GetString()!);
        }

        char[]? rented = null;
        Span<char> chars = raw.Length <= StackCharLimit
            ? stackalloc char[StackCharLimit]
            : (rented = ArrayPool<char>.Shared.Rent(raw.Length));
        try
        {
            int written = Encoding.UTF8.GetChars(raw, chars);
            return regex.IsMatch(chars[..written]);
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
        if (a.IndexOf((byte)'\\') < 0 && b.IndexOf((byte)'\\') < 0)
        {
            return a.SequenceEqual(b);
        }
        return left.ValueEquals(right.GetString());
    }

    public static int Hash(JsonElement text)
    {
        var raw = Unquoted(text);
        if (raw.IndexOf((byte)'\\') >= 0)
        {
            // Hash the decoded UTF-8 so "a" and "\u0061" agree, as AreEqual says they must.
            raw = Encoding.UTF8.GetBytes(text.GetString()!);
        }
        var hash = new HashCode();
        hash.AddBytes(raw);
        return hash.ToHashCode() ^ (int)JsonValueKind.String;
    }

    private static int CountCodePoints(string text)
    {
        int count = 0;
        foreach (var _ in text.EnumerateRunes()) count++;
        return count;
    }

    private static ReadOnlySpan<byte> Unquoted(JsonElement text)
    {
        var raw = JsonMarshal.GetRawUtf8Value(text);
        return raw.Length >= 2 && raw[0] == (byte)'"' ? raw[1..^1] : raw;
    }
}
