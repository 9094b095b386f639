namespace Gateway.Transforms.Validation.Paths;

/// <summary>
/// Recognizes a URI scheme at the start of a path argument: RFC 3986 section 3.1,
/// <c>scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )</c> followed by ':'. Leading spaces are skipped first, as URL
/// parsers (WHATWG) strip them. By the same RFC (section 4.2) a relative reference whose first segment holds a ':' is
/// read as a URI, so a file really named like "a:b" must be written "./a:b".
/// </summary>
internal static class UriSchemePrefix
{
    /// <returns>The scheme's length (without the ':'), or 0 when the text does not start with a scheme.</returns>
    public static int Length(ReadOnlySpan<char> text, out int start)
    {
        start = 0;
        while (start < text.Length && text[start] == ' ')
        {
            start++;
        }

        if (start >= text.Length || !char.IsAsciiLetter(text[start]))
        {
            return 0;
        }

        for (int i = start + 1; i < text.Length; i++)
        {
            char c = text[i];
            if (c == ':')
            {
                return i - start;
            }

            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return 0;
            }
        }

        return 0;
    }
}
