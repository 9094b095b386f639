namespace Gateway.Transforms.Validation.Cypher;

/// <summary>Reads the decoded text of tokens into caller-provided buffers.</summary>
internal static class CypherTokenText
{
    /// <summary>The keyword a word token spells, decoding unicode escapes on the stack if it has any.</summary>
    public static CypherKeyword Keyword(ReadOnlySpan<char> text, in CypherToken token)
    {
        if (token.Kind != CypherTokenKind.Word)
        {
            return CypherKeyword.None;
        }

        if (!token.HasUnicodeEscapes)
        {
            return CypherKeywords.Lookup(text.Slice(token.Start, token.Length));
        }

        Span<char> buffer = stackalloc char[CypherKeywords.MaxLength + 1];
        int length = DecodeWord(text, token, buffer);
        return length < 0 ? CypherKeyword.None : CypherKeywords.Lookup(buffer[..length]);
    }

    /// <summary>Decodes a word or backtick identifier (without backticks); returns -1 if it does not fit.</summary>
    public static int DecodeName(ReadOnlySpan<char> text, in CypherToken token, Span<char> destination) =>
        token.Kind == CypherTokenKind.BacktickIdentifier
            ? DecodeBacktick(text, token, destination)
            : DecodeWord(text, token, destination);

    /// <summary>Decodes a dotted name such as <c>apoc . `cypher` . doIt</c> between two offsets; -1 if it does not fit.</summary>
    public static int DecodeDottedName(ReadOnlySpan<char> text, int start, int end, Span<char> destination)
    {
        var lexer = new CypherLexer(text[..end], start);
        int length = 0;
        while (lexer.MoveNext())
        {
            var token = lexer.Current;
            if (token.Kind == CypherTokenKind.Dot)
            {
                if (length >= destination.Length)
                {
                    return -1;
                }

                destination[length++] = '.';
                continue;
            }

            int written = DecodeName(text, token, destination[length..]);
            if (written < 0)
            {
                return -1;
            }

            length += written;
        }

        return length;
    }

    /// <summary>Value of a plain decimal integer token (digits and '_'), saturating at int.MaxValue; null otherwise.</summary>
    public static int? Integer(ReadOnlySpan<char> text, in CypherToken token)
    {
        if (token.Kind != CypherTokenKind.Number || token.HasUnicodeEscapes)
        {
            return null;
        }

        long value = 0;
        bool sawDigit = false;
        foreach (char c in text.Slice(token.Start, token.Length))
        {
            if (c == '_')
            {
                continue;
            }

            if (!char.IsAsciiDigit(c))
            {
                return null;
            }

            sawDigit = true;
            value = Math.Min(int.MaxValue, (value * 10) + (c - '0'));
        }

        return sawDigit ? (int)value : null;
    }

    private static int DecodeWord(ReadOnlySpan<char> text, in CypherToken token, Span<char> destination)
    {
        if (!token.HasUnicodeEscapes)
        {
            var raw = text.Slice(token.Start, token.Length);
            return raw.TryCopyTo(destination) ? raw.Length : -1;
        }

        var cursor = new CypherCharCursor(token.Start);
        int length = 0;
        while (cursor.Position < token.End && cursor.Peek(text, out char c, out int width) != CypherCharStatus.End)
        {
            if (length >= destination.Length)
            {
                return -1;
            }

            destination[length++] = c;
            cursor.Advance(c, width);
        }

        return length;
    }

    private static int DecodeBacktick(ReadOnlySpan<char> text, in CypherToken token, Span<char> destination)
    {
        var cursor = new CypherCharCursor(token.Start);
        cursor.Peek(text, out char open, out int openWidth);
        cursor.Advance(open, openWidth);
        int length = 0;
        bool pendingBacktick = false;
        while (cursor.Position < token.End && cursor.Peek(text, out char c, out int width) != CypherCharStatus.End)
        {
            cursor.Advance(c, width);
            if (c == '`' && !pendingBacktick)
            {
                pendingBacktick = true;
                continue;
            }

            pendingBacktick = false;
            if (length >= destination.Length)
            {
                return -1;
            }

            destination[length++] = c;
        }

        return length;
    }
}
