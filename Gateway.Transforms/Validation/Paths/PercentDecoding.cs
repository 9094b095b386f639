using System.Buffers;
using System.Text.Unicode;

namespace Gateway.Transforms.Validation.Paths;

/// <summary>Decodes %XX escapes exactly once, as UTF-8, refusing malformed escapes and invalid UTF-8.</summary>
internal static class PercentDecoding
{
    private const int StackLimit = 1024;

    /// <summary>
    /// Decodes <paramref name="raw"/>; returns <see cref="PathRejection.None"/> and the decoded text (the same instance
    /// when there is no '%'), or the rejection with the index of the offending character (-1 if not attributable).
    /// </summary>
    public static PathRejection DecodeOnce(string raw, out string decoded, out int errorIndex)
    {
        decoded = raw;
        errorIndex = -1;
        if (!raw.Contains('%'))
        {
            return PathRejection.None;
        }

        int maxBytes = raw.Length * 3;
        byte[]? rentedBytes = null;
        char[]? rentedChars = null;
        Span<byte> bytes = maxBytes <= StackLimit ? stackalloc byte[StackLimit] : (rentedBytes = ArrayPool<byte>.Shared.Rent(maxBytes));
        try
        {
            PathRejection status = ToBytes(raw, bytes, out int byteCount, out errorIndex);
            if (status != PathRejection.None)
            {
                return status;
            }

            Span<char> chars = byteCount <= StackLimit ? stackalloc char[StackLimit] : (rentedChars = ArrayPool<char>.Shared.Rent(byteCount));
            if (Utf8.ToUtf16(bytes[..byteCount], chars, out _, out int charCount, replaceInvalidSequences: false) != OperationStatus.Done)
            {
                return PathRejection.InvalidPercentEncoding; // e.g. %C0%AE (overlong '.') or a lone %FF.
            }

            decoded = new string(chars[..charCount]);
            return PathRejection.None;
        }
        finally
        {
            if (rentedBytes is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedBytes);
            }

            if (rentedChars is not null)
            {
                ArrayPool<char>.Shared.Return(rentedChars);
            }
        }
    }

    /// <summary>Index of the first "%XX" with two hex digits, or -1.</summary>
    public static int IndexOfEscape(ReadOnlySpan<char> text)
    {
        int offset = 0;
        while (true)
        {
            int percent = text[offset..].IndexOf('%');
            if (percent < 0)
            {
                return -1;
            }

            int at = offset + percent;
            if (at + 2 < text.Length && char.IsAsciiHexDigit(text[at + 1]) && char.IsAsciiHexDigit(text[at + 2]))
            {
                return at;
            }

            offset = at + 1;
        }
    }

    private static PathRejection ToBytes(string raw, Span<byte> bytes, out int byteCount, out int errorIndex)
    {
        byteCount = 0;
        errorIndex = -1;
        int i = 0;
        while (i < raw.Length)
        {
            if (raw[i] == '%')
            {
                if (i + 2 >= raw.Length || !char.IsAsciiHexDigit(raw[i + 1]) || !char.IsAsciiHexDigit(raw[i + 2]))
                {
                    errorIndex = i;
                    return PathRejection.InvalidPercentEncoding;
                }

                bytes[byteCount++] = (byte)((HexValue(raw[i + 1]) << 4) | HexValue(raw[i + 2]));
                i += 3;
                continue;
            }

            int runEnd = raw.IndexOf('%', i);
            if (runEnd < 0)
            {
                runEnd = raw.Length;
            }

            ReadOnlySpan<char> run = raw.AsSpan(i, runEnd - i);
            if (Utf8.FromUtf16(run, bytes[byteCount..], out int read, out int written, replaceInvalidSequences: false) != OperationStatus.Done)
            {
                errorIndex = i + read;
                return PathRejection.InvalidCharacter; // a lone surrogate has no UTF-8 form.
            }

            byteCount += written;
            i = runEnd;
        }

        return PathRejection.None;
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
