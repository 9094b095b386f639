namespace Gateway.Transforms.Schema;

/// <summary>Allocation-free shape checks for the enforceable formats.</summary>
internal static class StringFormats
{
    public const string SupportedList = "date-time, email, uri, uuid";

    public static bool TryParse(string name, out StringFormat format)
    {
        (bool known, format) = name switch
        {
            "date-time" => (true, StringFormat.DateTime),
            "email" => (true, StringFormat.Email),
            "uri" => (true, StringFormat.Uri),
            "uuid" => (true, StringFormat.Uuid),
            _ => (false, default),
        };
        return known;
    }

    public static string Describe(StringFormat format) => format switch
    {
        StringFormat.DateTime => "an RFC 3339 date-time such as 2024-05-01T12:00:00Z",
        StringFormat.Email => "an email address such as name@example.com",
        StringFormat.Uri => "an absolute URI such as https://example.com/path",
        _ => "a UUID such as 123e4567-e89b-12d3-a456-426614174000",
    };

    public static bool IsValid(ReadOnlySpan<char> text, StringFormat format) => format switch
    {
        StringFormat.DateTime => IsDateTime(text),
        StringFormat.Email => IsEmail(text),
        StringFormat.Uri => IsAbsoluteUri(text),
        _ => text.Length == 36 && Guid.TryParseExact(text, "D", out _),
    };

    /// <summary>RFC 3339 date-time: 2024-05-01T12:00:00(.fraction)?(Z|+hh:mm|-hh:mm).</summary>
    private static bool IsDateTime(ReadOnlySpan<char> text)
    {
        if (text.Length < 20
            || text[4] != '-' || text[7] != '-' || (text[10] | 0x20) != 't' || text[13] != ':' || text[16] != ':'
            || !TryReadDigits(text[..4], out int year) || !TryReadDigits(text.Slice(5, 2), out int month)
            || !TryReadDigits(text.Slice(8, 2), out int day) || !TryReadDigits(text.Slice(11, 2), out int hour)
            || !TryReadDigits(text.Slice(14, 2), out int minute) || !TryReadDigits(text.Slice(17, 2), out int second))
        {
            return false;
        }
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 60)
        {
            return false;
        }

        var rest = text[19..];
        if (rest[0] == '.')
        {
            int digits = 1;
            while (digits < rest.Length && char.IsAsciiDigit(rest[digits])) digits++;
            if (digits == 1) return false;
            rest = rest[digits..];
        }
        return IsOffset(rest);
    }

    private static bool IsOffset(ReadOnlySpan<char> offset)
    {
        if (offset is ['Z' or 'z']) return true;
        return offset.Length == 6 && offset[0] is ('+' or '-') && offset[3] == ':'
            && TryReadDigits(offset.Slice(1, 2), out int hours) && hours <= 23
            && TryReadDigits(offset.Slice(4, 2), out int minutes) && minutes <= 59;
    }

    /// <summary>A deliberately simple shape: one @, something before it, a dotted domain after it, no spaces.</summary>
    private static bool IsEmail(ReadOnlySpan<char> text)
    {
        int at = text.IndexOf('@');
        if (at <= 0 || at != text.LastIndexOf('@')) return false;
        var domain = text[(at + 1)..];
        return domain.Length > 0 && domain[0] != '.' && domain[^1] != '.' && !domain.Contains("..", StringComparison.Ordinal)
            && !ContainsWhitespaceOrControl(text);
    }

    /// <summary>RFC 3986 scheme ":" followed by something, with no spaces or control characters.</summary>
    private static bool IsAbsoluteUri(ReadOnlySpan<char> text)
    {
        int colon = text.IndexOf(':');
        if (colon <= 0 || colon == text.Length - 1 || !char.IsAsciiLetter(text[0])) return false;
        foreach (char c in text[..colon])
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.')) return false;
        }
        return !ContainsWhitespaceOrControl(text);
    }

    private static bool ContainsWhitespaceOrControl(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c)) return true;
        }
        return false;
    }

    private static bool TryReadDigits(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        foreach (char c in digits)
        {
            if (!char.IsAsciiDigit(c)) return false;
            value = (value * 10) + (c - '0');
        }
        return true;
    }
}
