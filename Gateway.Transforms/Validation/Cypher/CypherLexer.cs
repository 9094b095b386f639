namespace Gateway.Transforms.Validation.Cypher;

/// <summary>
/// Linear, allocation-free lexer over Cypher text that yields significant tokens (whitespace and
/// comments are skipped). It works on the escape-decoded character stream Neo4j lexes (see
/// <see cref="CypherCharCursor"/>) while reporting positions in the original text. It never throws:
/// malformed input becomes a <see cref="CypherTokenKind.Error"/> token. Copying the struct gives an
/// independent lookahead.
/// </summary>
public ref struct CypherLexer
{
    private readonly ReadOnlySpan<char> _text;
    private CypherCharCursor _cursor;
    private CypherToken _current;

    public CypherLexer(ReadOnlySpan<char> text)
        : this(text, 0)
    {
    }

    internal CypherLexer(ReadOnlySpan<char> text, int start)
    {
        _text = text;
        _cursor = new CypherCharCursor(start);
        _current = default;
        Steps = 0;
    }

    public readonly CypherToken Current => _current;

    /// <summary>Characters consumed so far, counted for linearity checks.</summary>
    internal long Steps { get; private set; }

    public readonly CypherLexer GetEnumerator() => this;

    /// <summary>Advances to the next token; returns false once <see cref="CypherTokenKind.EndOfInput"/> is reached.</summary>
    public bool MoveNext()
    {
        _current = Lex();
        return _current.Kind != CypherTokenKind.EndOfInput;
    }

    private CypherToken Lex()
    {
        while (true)
        {
            int start = _cursor.Position;
            var status = Peek(out char c, out int width);
            switch (status)
            {
                case CypherCharStatus.End:
                    return new CypherToken(CypherTokenKind.EndOfInput, _text.Length, 0);
                case CypherCharStatus.InvalidEscape:
                    Advance(c, width);
                    return ErrorFrom(start, CypherLexError.InvalidUnicodeEscape);
            }

            bool escaped = status == CypherCharStatus.Escape;
            if (CypherCharClass.IsWhitespace(c))
            {
                Advance(c, width);
                continue;
            }

            if (c == '/' && TrySkipComment(out var commentError))
            {
                if (commentError != CypherLexError.None)
                {
                    return ErrorFrom(start, commentError);
                }

                continue;
            }

            return LexToken(start, c, width, escaped);
        }
    }

    private CypherToken LexToken(int start, char c, int width, bool escaped)
    {
        if (CypherCharClass.IsIdentifierStart(c))
        {
            return LexWord(start);
        }

        if (char.IsAsciiDigit(c))
        {
            return LexNumber(start);
        }

        Advance(c, width);
        switch (c)
        {
            case '\'':
            case '"':
                return LexString(start, c, escaped);
            case '`':
                return LexBacktickIdentifier(start, escaped);
            case '$':
                return LexParameter(start, escaped);
            case '.':
                if (PeekIs('.'))
                {
                    AdvancePeeked();
                    return Punctuation(CypherTokenKind.DotDot, start, escaped);
                }

                if (PeekIsDigit())
                {
                    return LexNumberAfterDot(start);
                }

                return Punctuation(CypherTokenKind.Dot, start, escaped);
            case ':':
                return Pair(':', CypherTokenKind.DoubleColon, CypherTokenKind.Colon, start, escaped);
            case '|':
                return Pair('|', CypherTokenKind.DoublePipe, CypherTokenKind.Pipe, start, escaped);
            case '+':
                return Pair('=', CypherTokenKind.PlusEquals, CypherTokenKind.Plus, start, escaped);
            case '=':
                return Pair('~', CypherTokenKind.RegexMatch, CypherTokenKind.Equals, start, escaped);
            case '!':
                return Pair('=', CypherTokenKind.NotEquals, CypherTokenKind.Exclamation, start, escaped);
            case '>':
                return Pair('=', CypherTokenKind.GreaterThanOrEqual, CypherTokenKind.GreaterThan, start, escaped);
            case '<':
                if (PeekIs('>'))
                {
                    AdvancePeeked();
                    return Punctuation(CypherTokenKind.NotEquals, start, escaped);
                }

                return Pair('=', CypherTokenKind.LessThanOrEqual, CypherTokenKind.LessThan, start, escaped);
            case '(': return Punctuation(CypherTokenKind.LeftParen, start, escaped);
            case ')': return Punctuation(CypherTokenKind.RightParen, start, escaped);
            case '[': return Punctuation(CypherTokenKind.LeftBracket, start, escaped);
            case ']': return Punctuation(CypherTokenKind.RightBracket, start, escaped);
            case '{': return Punctuation(CypherTokenKind.LeftBrace, start, escaped);
            case '}': return Punctuation(CypherTokenKind.RightBrace, start, escaped);
            case ',': return Punctuation(CypherTokenKind.Comma, start, escaped);
            case ';': return Punctuation(CypherTokenKind.Semicolon, start, escaped);
            case '&': return Punctuation(CypherTokenKind.Ampersand, start, escaped);
            case '?': return Punctuation(CypherTokenKind.Question, start, escaped);
            case '*': return Punctuation(CypherTokenKind.Star, start, escaped);
            case '/': return Punctuation(CypherTokenKind.Slash, start, escaped);
            case '%': return Punctuation(CypherTokenKind.Percent, start, escaped);
            case '^': return Punctuation(CypherTokenKind.Caret, start, escaped);
        }

        if (CypherCharClass.IsDash(c))
        {
            return Punctuation(CypherTokenKind.Minus, start, escaped);
        }

        if (CypherCharClass.IsLeftArrowHead(c))
        {
            return Punctuation(CypherTokenKind.LessThan, start, escaped);
        }

        if (CypherCharClass.IsRightArrowHead(c))
        {
            return Punctuation(CypherTokenKind.GreaterThan, start, escaped);
        }

        return ErrorFrom(start, CypherLexError.InvalidCharacter);
    }

    private CypherToken LexWord(int start)
    {
        bool escaped = false;
        while (true)
        {
            int position = _cursor.Position;
            var status = Peek(out char c, out int width);
            if (status == CypherCharStatus.InvalidEscape)
            {
                Advance(c, width);
                return ErrorFrom(position, CypherLexError.InvalidUnicodeEscape);
            }

            if (status is not (CypherCharStatus.Plain or CypherCharStatus.Escape) || !CypherCharClass.IsIdentifierPart(c))
            {
                return new CypherToken(CypherTokenKind.Word, start, _cursor.Position - start, escaped);
            }

            escaped |= status == CypherCharStatus.Escape;
            Advance(c, width);
        }
    }

    // Mirrors Neo4j's number rules closely enough that a keyword is never split off a number
    // differently: digits, '_', identifier letters (hex, octal, trailing garbage), one decimal
    // point followed by a digit, and a signed exponent.
    private CypherToken LexNumber(int start) => LexNumberCore(start, sawDot: false, escaped: false);

    private CypherToken LexNumberAfterDot(int start) => LexNumberCore(start, sawDot: true, escaped: false);

    private CypherToken LexNumberCore(int start, bool sawDot, bool escaped)
    {
        bool decimalSoFar = true;
        while (true)
        {
            int position = _cursor.Position;
            var status = Peek(out char c, out int width);
            if (status == CypherCharStatus.InvalidEscape)
            {
                Advance(c, width);
                return ErrorFrom(position, CypherLexError.InvalidUnicodeEscape);
            }

            if (status is not (CypherCharStatus.Plain or CypherCharStatus.Escape))
            {
                break;
            }

            if (CypherCharClass.IsIdentifierPart(c))
            {
                escaped |= status == CypherCharStatus.Escape;
                Advance(c, width);
                if ((c is 'e' or 'E') && decimalSoFar && NextIsSignedDigit())
                {
                    AdvancePeeked();
                }

                decimalSoFar &= char.IsAsciiDigit(c) || c == '_';
                continue;
            }

            if (c == '.' && decimalSoFar && !sawDot && DigitFollowsNext())
            {
                Advance(c, width);
                sawDot = true;
                continue;
            }

            break;
        }

        return new CypherToken(CypherTokenKind.Number, start, _cursor.Position - start, escaped);
    }

    private CypherToken LexString(int start, char quote, bool escaped)
    {
        while (true)
        {
            var status = Peek(out char c, out int width);
            switch (status)
            {
                case CypherCharStatus.End:
                    return ErrorFrom(start, CypherLexError.UnterminatedString);
                case CypherCharStatus.InvalidEscape:
                    Advance(c, width);
                    return ErrorFrom(start, CypherLexError.InvalidUnicodeEscape);
                case CypherCharStatus.Escape:
                    if (c == quote || c == '\\')
                    {
                        Advance(c, width);
                        return ErrorFrom(start, CypherLexError.AmbiguousUnicodeEscape);
                    }

                    escaped = true;
                    Advance(c, width);
                    continue;
            }

            Advance(c, width);
            if (c == quote)
            {
                return new CypherToken(CypherTokenKind.String, start, _cursor.Position - start, escaped);
            }

            if (c == '\\')
            {
                // Any character may follow a backslash; a literal backslash stops the next \u decoding.
                var escapedStatus = Peek(out char next, out int nextWidth);
                if (escapedStatus == CypherCharStatus.End)
                {
                    return ErrorFrom(start, CypherLexError.UnterminatedString);
                }

                Advance(next, nextWidth);
            }
        }
    }

    private CypherToken LexBacktickIdentifier(int start, bool escaped)
    {
        while (true)
        {
            var status = Peek(out char c, out int width);
            switch (status)
            {
                case CypherCharStatus.End:
                    return ErrorFrom(start, CypherLexError.UnterminatedBacktickIdentifier);
                case CypherCharStatus.InvalidEscape:
                    Advance(c, width);
                    return ErrorFrom(start, CypherLexError.InvalidUnicodeEscape);
                case CypherCharStatus.Escape when c == '`':
                    Advance(c, width);
                    return ErrorFrom(start, CypherLexError.AmbiguousUnicodeEscape);
            }

            escaped |= status == CypherCharStatus.Escape;
            Advance(c, width);
            if (c != '`')
            {
                continue;
            }

            var nextStatus = Peek(out char next, out int nextWidth);
            if (nextStatus == CypherCharStatus.Escape && next == '`')
            {
                Advance(next, nextWidth);
                return ErrorFrom(start, CypherLexError.AmbiguousUnicodeEscape);
            }

            if (nextStatus != CypherCharStatus.Plain || next != '`')
            {
                return new CypherToken(CypherTokenKind.BacktickIdentifier, start, _cursor.Position - start, escaped);
            }

            Advance(next, nextWidth);
        }
    }

    // $name, $0, $`name` and the legacy ${name}; a bare '$' (e.g. followed by a space) is a Dollar token.
    private CypherToken LexParameter(int start, bool escaped)
    {
        var status = Peek(out char c, out int width);
        if (status is not (CypherCharStatus.Plain or CypherCharStatus.Escape))
        {
            return Punctuation(CypherTokenKind.Dollar, start, escaped);
        }

        if (CypherCharClass.IsIdentifierPart(c))
        {
            var name = LexWord(_cursor.Position);
            return name.Kind == CypherTokenKind.Error
                ? name
                : new CypherToken(CypherTokenKind.Parameter, start, name.End - start, escaped || name.HasUnicodeEscapes);
        }

        if (c == '`')
        {
            int nameStart = _cursor.Position;
            Advance(c, width);
            var name = LexBacktickIdentifier(nameStart, status == CypherCharStatus.Escape);
            return name.Kind == CypherTokenKind.Error
                ? name with { Start = start, Length = name.End - start }
                : new CypherToken(CypherTokenKind.Parameter, start, name.End - start, escaped || name.HasUnicodeEscapes);
        }

        if (c == '{' && TryLexLegacyParameterBody())
        {
            return new CypherToken(CypherTokenKind.Parameter, start, _cursor.Position - start, escaped);
        }

        return Punctuation(CypherTokenKind.Dollar, start, escaped);
    }

    private bool TryLexLegacyParameterBody()
    {
        var probe = this;
        probe.AdvancePeeked();
        probe.SkipPlainWhitespace();
        var status = probe.Peek(out char c, out _);
        if (status is not (CypherCharStatus.Plain or CypherCharStatus.Escape) || !CypherCharClass.IsIdentifierPart(c))
        {
            return false;
        }

        if (probe.LexWord(probe._cursor.Position).Kind == CypherTokenKind.Error)
        {
            return false;
        }

        probe.SkipPlainWhitespace();
        if (!probe.PeekIs('}'))
        {
            return false;
        }

        probe.AdvancePeeked();
        this = probe;
        return true;
    }

    private void SkipPlainWhitespace()
    {
        while (Peek(out char c, out int width) == CypherCharStatus.Plain && CypherCharClass.IsWhitespace(c))
        {
            Advance(c, width);
        }
    }

    /// <summary>At a '/', skips a comment if one starts here. Returns false when it is a plain slash.</summary>
    private bool TrySkipComment(out CypherLexError error)
    {
        error = CypherLexError.None;
        var probe = _cursor;
        Peek(out char slash, out int slashWidth);
        probe.Advance(slash, slashWidth);
        var status = probe.Peek(_text, out char second, out int secondWidth);
        if (status is not (CypherCharStatus.Plain or CypherCharStatus.Escape) || second is not ('/' or '*'))
        {
            return false;
        }

        Advance(slash, slashWidth);
        Advance(second, secondWidth);
        error = second == '/' ? SkipLineComment() : SkipBlockComment();
        return true;
    }

    private CypherLexError SkipLineComment()
    {
        while (true)
        {
            var status = Peek(out char c, out int width);
            switch (status)
            {
                case CypherCharStatus.End:
                    return CypherLexError.None;
                case CypherCharStatus.InvalidEscape:
                    Advance(c, width);
                    return CypherLexError.InvalidUnicodeEscape;
                case CypherCharStatus.Escape when c is '\r' or '\n':
                    Advance(c, width);
                    return CypherLexError.AmbiguousUnicodeEscape;
            }

            if (c is '\r' or '\n')
            {
                return CypherLexError.None;
            }

            if (CypherCharClass.IsAmbiguousLineTerminator(c))
            {
                Advance(c, width);
                return CypherLexError.AmbiguousLineTerminator;
            }

            Advance(c, width);
        }
    }

    private CypherLexError SkipBlockComment()
    {
        bool previousWasStar = false;
        while (true)
        {
            var status = Peek(out char c, out int width);
            switch (status)
            {
                case CypherCharStatus.End:
                    return CypherLexError.UnterminatedBlockComment;
                case CypherCharStatus.InvalidEscape:
                    Advance(c, width);
                    return CypherLexError.InvalidUnicodeEscape;
                case CypherCharStatus.Escape when c is '*' or '/':
                    Advance(c, width);
                    return CypherLexError.AmbiguousUnicodeEscape;
            }

            Advance(c, width);
            if (previousWasStar && c == '/')
            {
                return CypherLexError.None;
            }

            previousWasStar = c == '*';
        }
    }

    private CypherToken Pair(char second, CypherTokenKind pair, CypherTokenKind single, int start, bool escaped)
    {
        if (!PeekIs(second))
        {
            return Punctuation(single, start, escaped);
        }

        escaped |= Peek(out _, out _) == CypherCharStatus.Escape;
        AdvancePeeked();
        return Punctuation(pair, start, escaped);
    }

    private readonly CypherToken Punctuation(CypherTokenKind kind, int start, bool escaped) =>
        new(kind, start, _cursor.Position - start, escaped);

    private readonly CypherToken ErrorFrom(int start, CypherLexError error) =>
        new(CypherTokenKind.Error, start, Math.Max(1, _cursor.Position - start), false, error);

    private readonly CypherCharStatus Peek(out char c, out int width) => _cursor.Peek(_text, out c, out width);

    private readonly bool PeekIs(char expected)
    {
        var status = Peek(out char c, out _);
        return status is CypherCharStatus.Plain or CypherCharStatus.Escape && c == expected;
    }

    private readonly bool PeekIsDigit()
    {
        var status = Peek(out char c, out _);
        return status is CypherCharStatus.Plain or CypherCharStatus.Escape && char.IsAsciiDigit(c);
    }

    private readonly bool DigitFollowsNext()
    {
        var probe = _cursor;
        probe.Peek(_text, out char c, out int width);
        probe.Advance(c, width);
        var status = probe.Peek(_text, out char next, out _);
        return status is CypherCharStatus.Plain or CypherCharStatus.Escape && char.IsAsciiDigit(next);
    }

    private readonly bool NextIsSignedDigit()
    {
        var status = Peek(out char sign, out _);
        return status is CypherCharStatus.Plain or CypherCharStatus.Escape && sign is '+' or '-' && DigitFollowsNext();
    }

    private void AdvancePeeked()
    {
        Peek(out char c, out int width);
        Advance(c, width);
    }

    private void Advance(char c, int width)
    {
        _cursor.Advance(c, width);
        Steps++;
    }
}
