namespace Gateway.Transforms.Validation.Cypher;

/// <summary>
/// Reads query text the way Neo4j does before lexing: every <c>\uXXXX</c> escape is replaced by the
/// character it denotes, everywhere (identifiers, keywords, strings and comments), unless the
/// backslash is itself escaped by a preceding literal backslash. Lexing the decoded stream is what
/// makes <c>CR\u0045ATE</c> a keyword and <c>// x \u000A CREATE</c> a comment followed by code.
/// </summary>
internal struct CypherCharCursor
{
    private bool _previousWasLiteralBackslash;

    public CypherCharCursor(int position)
    {
        Position = position;
        _previousWasLiteralBackslash = false;
    }

    /// <summary>Offset of the next character in the original text.</summary>
    public int Position { get; private set; }

    /// <summary>Decodes the character at <see cref="Position"/> without consuming it.</summary>
    /// <param name="width">Characters of original text the decoded character occupies (1 or 6).</param>
    public readonly CypherCharStatus Peek(ReadOnlySpan<char> text, out char decoded, out int width)
    {
        int position = Position;
        if (position >= text.Length)
        {
            decoded = '\0';
            width = 0;
            return CypherCharStatus.End;
        }

        char c = text[position];
        if (c != '\\' || _previousWasLiteralBackslash || position + 1 >= text.Length || text[position + 1] != 'u')
        {
            decoded = c;
            width = 1;
            return CypherCharStatus.Plain;
        }

        // Neo4j parses the four characters with Java's lenient Integer.parseInt (signs, non-ASCII digits).
        // Only the unambiguous ASCII form is accepted; everything else is reported as invalid.
        if (position + 6 > text.Length || !TryParseHex4(text.Slice(position + 2, 4), out decoded))
        {
            decoded = '\0';
            width = Math.Min(6, text.Length - position);
            return CypherCharStatus.InvalidEscape;
        }

        width = 6;
        return CypherCharStatus.Escape;
    }

    /// <summary>Consumes the character returned by the last <see cref="Peek"/>.</summary>
    public void Advance(char decoded, int width)
    {
        Position += width;
        _previousWasLiteralBackslash = !_previousWasLiteralBackslash && width == 1 && decoded == '\\';
    }

    private static bool TryParseHex4(ReadOnlySpan<char> digits, out char value)
    {
        int result = 0;
        foreach (char digit in digits)
        {
            int nibble = digit switch
            {
                >= '0' and <= '9' => digit - '0',
                >= 'a' and <= 'f' => digit - 'a' + 10,
                >= 'A' and <= 'F' => digit - 'A' + 10,
                _ => -1,
            };
            if (nibble < 0)
            {
                value = '\0';
                return false;
            }

            result = (result << 4) | nibble;
        }

        value = (char)result;
        return true;
    }
}

/// <summary>Outcome of decoding one character of query text.</summary>
internal enum CypherCharStatus
{
    End,
    Plain,
    Escape,
    InvalidEscape,
}
