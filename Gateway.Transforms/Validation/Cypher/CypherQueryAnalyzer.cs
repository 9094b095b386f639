namespace Gateway.Transforms.Validation.Cypher;

/// <summary>
/// Single pass over the token stream that tracks just enough syntax (bracket kinds, name positions,
/// clause starts, dotted names, pattern quantifiers) to decide whether a keyword-looking word is a
/// clause or a name, and rejects at the first write, administration or otherwise disallowed construct.
/// Work is linear in the input: every token is processed once and lookahead is bounded.
/// </summary>
internal ref struct CypherQueryAnalyzer
{
    private const int MaxDottedNameLength = 256;

    private readonly string _query;
    private readonly ReadOnlySpan<char> _text;
    private readonly CypherPolicy _policy;
    private readonly Span<Frame> _frames;
    private readonly Span<char> _nameBuffer;
    private int _depth;

    private CypherLexer _lexer;
    private CypherToken _previous;
    private CypherToken _current;
    private CypherToken _next;
    private long _lookaheadSteps;

    // Facts about the previous token, consumed by the current one.
    private QueryStart _expectStart;
    private CypherKeyword _previousKeyword;
    private bool _nameNext;
    private bool _nameNextIsLabel;
    private bool _labelNameJustSeen;
    private bool _mapKeyPending;
    private bool _colonIsMapSeparator;
    private bool _quantifiable;
    private bool _subqueryBraceExpected;
    private bool _previousClosedRelationship;
    private bool _procedureNamePending;

    // The dotted name being read (a.b.c), evaluated as a procedure after CALL or as a function before '('.
    private DottedNameState _dottedState;
    private int _dottedStart;
    private int _dottedEnd;
    private int _dottedSegments;
    private bool _dottedIsProcedure;
    private bool _dottedHasQuotedSegment;

    public CypherQueryAnalyzer(string query, CypherPolicy policy, Span<Frame> frames, Span<char> nameBuffer)
    {
        _query = query;
        _text = query.AsSpan();
        _policy = policy;
        _frames = frames;
        _nameBuffer = nameBuffer;
        _lexer = new CypherLexer(_text);
        _lexer.MoveNext();
        _next = _lexer.Current;
        _expectStart = QueryStart.Statement;
    }

    /// <summary>Characters consumed by the lexer and its lookaheads.</summary>
    public readonly long Steps => _lexer.Steps + _lookaheadSteps;

    public CypherValidationResult Run()
    {
        while (true)
        {
            Advance();
            var rejection = Process();
            if (rejection is { } rejected)
            {
                return rejected;
            }

            if (_current.Kind == CypherTokenKind.EndOfInput)
            {
                return CypherValidationResult.Allowed;
            }
        }
    }

    private CypherValidationResult? Process()
    {
        var token = _current;
        if (token.Kind == CypherTokenKind.Error)
        {
            return Reject(CypherViolation.Lexical, CypherRejection.LexicalClause(token.Error), token.Start,
                CypherRejection.LexicalDetail(token.Error));
        }

        if (_expectStart != QueryStart.None)
        {
            var startRejection = CheckQueryStart(out bool consumed);
            if (startRejection is not null || consumed)
            {
                return startRejection;
            }
        }

        var previousKeyword = _previousKeyword;
        bool nameNext = _nameNext;
        bool nameNextIsLabel = _nameNextIsLabel;
        bool labelNameJustSeen = _labelNameJustSeen;
        bool mapKeyPending = _mapKeyPending;
        bool colonIsMapSeparator = _colonIsMapSeparator;
        bool quantifiable = _quantifiable;
        bool subqueryBraceExpected = _subqueryBraceExpected;
        bool previousClosedRelationship = _previousClosedRelationship;
        _previousKeyword = CypherKeyword.None;
        _nameNext = _nameNextIsLabel = _labelNameJustSeen = _mapKeyPending = _colonIsMapSeparator = false;
        _quantifiable = _subqueryBraceExpected = _previousClosedRelationship = false;

        if (quantifiable && token.Kind is CypherTokenKind.Plus or CypherTokenKind.Star or CypherTokenKind.LeftBrace)
        {
            var quantifierRejection = CheckPathQuantifier(out bool consumed);
            if (quantifierRejection is not null || consumed)
            {
                return quantifierRejection;
            }
        }

        if (TrackDottedName(token) is { } nameRejection)
        {
            return nameRejection;
        }

        switch (token.Kind)
        {
            case CypherTokenKind.Word:
                return HandleWord(token, nameNext, nameNextIsLabel, mapKeyPending);
            case CypherTokenKind.BacktickIdentifier:
                _labelNameJustSeen = nameNext && nameNextIsLabel;
                _colonIsMapSeparator = mapKeyPending && _next.Kind == CypherTokenKind.Colon;
                return null;
            case CypherTokenKind.Dollar:
            case CypherTokenKind.Dot:
                _nameNext = true;
                return null;
            case CypherTokenKind.Colon:
                if (!colonIsMapSeparator)
                {
                    ExpectLabelName();
                }

                return null;
            case CypherTokenKind.Pipe:
            case CypherTokenKind.Ampersand:
                if (labelNameJustSeen)
                {
                    ExpectLabelName();
                }

                return null;
            case CypherTokenKind.Exclamation:
                if (nameNext && nameNextIsLabel)
                {
                    ExpectLabelName();
                }

                return null;
            case CypherTokenKind.Percent:
                _labelNameJustSeen = nameNext && nameNextIsLabel;
                return null;
            case CypherTokenKind.Minus:
                HandleMinus(previousClosedRelationship);
                return null;
            case CypherTokenKind.GreaterThan:
                if (_previous.Kind == CypherTokenKind.Minus)
                {
                    MarkRelationshipInGroup();
                    _quantifiable = true;
                }

                return null;
            case CypherTokenKind.LeftParen:
                return Push(FrameKind.Paren, ParenFlags(previousKeyword), token.Start);
            case CypherTokenKind.LeftBracket:
                if (_previous.Kind == CypherTokenKind.Minus)
                {
                    MarkRelationshipInGroup();
                    return Push(FrameKind.Relationship, FrameFlags.None, token.Start);
                }

                return Push(FrameKind.List, FrameFlags.None, token.Start);
            case CypherTokenKind.LeftBrace:
                return HandleLeftBrace(previousKeyword, subqueryBraceExpected);
            case CypherTokenKind.RightParen:
            case CypherTokenKind.RightBracket:
            case CypherTokenKind.RightBrace:
                return Pop(token);
            case CypherTokenKind.Comma:
                _mapKeyPending = TopIs(FrameKind.Map);
                return null;
            case CypherTokenKind.Star:
                return TopIs(FrameKind.Relationship) && (_frames[_depth - 1].Flags & FrameFlags.LengthSeen) == 0
                    ? CheckVariableLength()
                    : null;
            case CypherTokenKind.Semicolon:
                return CheckStatementEnd();
            case CypherTokenKind.EndOfInput:
                return _depth == 0
                    ? null
                    : Reject(CypherViolation.UnclosedBracket, OpeningText(_frames[_depth - 1].Kind), _frames[_depth - 1].Start);
            default:
                return null;
        }
    }

    private CypherValidationResult? HandleWord(CypherToken token, bool nameNext, bool nameNextIsLabel, bool mapKeyPending)
    {
        _labelNameJustSeen = nameNext && nameNextIsLabel;
        _colonIsMapSeparator = mapKeyPending && _next.Kind == CypherTokenKind.Colon;

        // Property keys, labels, aliases, parameter names and procedure names may spell any keyword.
        // A word followed by '.' or ':' is a variable or map key: no clause keyword is followed by either.
        if (nameNext || _dottedIsProcedure || _next.Kind is CypherTokenKind.Dot or CypherTokenKind.Colon)
        {
            return null;
        }

        var keyword = CypherTokenText.Keyword(_text, token);
        if (keyword == CypherKeyword.None)
        {
            return null;
        }

        // Every write and administration clause needs an operand, so a keyword directly followed by
        // the end of an expression is a variable (RETURN n AS set, ... ORDER BY set). IN TRANSACTIONS
        // is the one clause that can end there.
        bool endsExpression = _next.Kind is CypherTokenKind.Comma or CypherTokenKind.RightParen
            or CypherTokenKind.RightBracket or CypherTokenKind.RightBrace or CypherTokenKind.Semicolon
            or CypherTokenKind.EndOfInput;
        if (endsExpression && keyword != CypherKeyword.Transactions)
        {
            return null;
        }

        return HandleKeyword(token, keyword);
    }

    private CypherValidationResult? HandleKeyword(CypherToken token, CypherKeyword keyword)
    {
        _previousKeyword = keyword;
        switch (keyword)
        {
            case CypherKeyword.Create:
                return RejectAdministrationOr(token, keyword, CypherViolation.WriteClause);
            case CypherKeyword.Merge:
            case CypherKeyword.Delete:
            case CypherKeyword.Set:
            case CypherKeyword.Remove:
            case CypherKeyword.Foreach:
            case CypherKeyword.Insert:
                return Reject(CypherViolation.WriteClause, CypherKeywords.Text(keyword), token.Start);
            case CypherKeyword.Detach:
            case CypherKeyword.Nodetach:
                string deletion = NextKeyword() == CypherKeyword.Delete
                    ? CypherKeywords.Text(keyword) + " DELETE"
                    : CypherKeywords.Text(keyword);
                return Reject(CypherViolation.WriteClause, deletion, token.Start);
            case CypherKeyword.Load:
                string load = NextKeyword() == CypherKeyword.Csv ? "LOAD CSV" : "LOAD";
                return Reject(CypherViolation.LoadCsv, load, token.Start);
            case CypherKeyword.Use:
                return Reject(CypherViolation.GraphSelection, "USE", token.Start);
            case CypherKeyword.Transactions:
                return Reject(CypherViolation.CallInTransactions, "CALL IN TRANSACTIONS", token.Start);
            case CypherKeyword.Grant:
            case CypherKeyword.Deny:
            case CypherKeyword.Revoke:
            case CypherKeyword.Dryrun:
                return Reject(CypherViolation.Administration, CypherKeywords.Text(keyword), token.Start);
            case CypherKeyword.Drop:
            case CypherKeyword.Alter:
            case CypherKeyword.Show:
            case CypherKeyword.Terminate:
            case CypherKeyword.Enable:
            case CypherKeyword.Deallocate:
            case CypherKeyword.Reallocate:
            case CypherKeyword.Rename:
                return RejectAdministrationOr(token, keyword, CypherViolation.Administration);
            case CypherKeyword.Start:
            case CypherKeyword.Stop:
                // Common variable names; only START/STOP DATABASE is a command.
                return NextKeyword() is CypherKeyword.Database or CypherKeyword.Databases
                    ? RejectAdministrationOr(token, keyword, CypherViolation.Administration)
                    : null;
            case CypherKeyword.Call:
                return HandleCall(token);
            case CypherKeyword.As:
                _nameNext = true;
                return null;
            case CypherKeyword.Is:
                ExpectLabelName();
                return null;
            case CypherKeyword.Union:
                if (NextKeyword() is CypherKeyword.All or CypherKeyword.Distinct)
                {
                    Advance();
                }

                _expectStart = QueryStart.Branch;
                return null;
            case CypherKeyword.Where:
                if (TopIs(FrameKind.Relationship))
                {
                    _frames[_depth - 1].Flags |= FrameFlags.LengthSeen;
                }

                return null;
            default:
                return null;
        }
    }

    private CypherValidationResult? HandleCall(CypherToken token)
    {
        switch (_next.Kind)
        {
            case CypherTokenKind.LeftBrace:
            case CypherTokenKind.LeftParen:
                return null;
            case CypherTokenKind.Word:
            case CypherTokenKind.BacktickIdentifier:
                _procedureNamePending = true;
                return null;
            default:
                return Reject(CypherViolation.Procedure, "CALL", token.Start);
        }
    }

    private CypherValidationResult? CheckQueryStart(out bool consumed)
    {
        consumed = false;
        var token = _current;
        var mode = _expectStart;
        if (mode == QueryStart.Statement)
        {
            switch (token.Kind)
            {
                case CypherTokenKind.Colon:
                    return Reject(CypherViolation.ClientCommand, ClientCommandText(), token.Start);
                case CypherTokenKind.EndOfInput:
                case CypherTokenKind.Semicolon:
                    return Reject(CypherViolation.EmptyQuery, "empty query", token.Start);
            }

            var prefix = CypherTokenText.Keyword(_text, token);
            if (prefix is CypherKeyword.Explain or CypherKeyword.Profile)
            {
                consumed = true;
                return null;
            }

            if (prefix == CypherKeyword.Cypher)
            {
                SkipCypherOptions();
                consumed = true;
                return null;
            }
        }

        _expectStart = QueryStart.None;
        if (mode == QueryStart.Subquery && token.Kind is CypherTokenKind.LeftParen or CypherTokenKind.RightBrace)
        {
            return null;
        }

        var keyword = CypherTokenText.Keyword(_text, token);
        if (IsReadQueryStart(keyword))
        {
            return null;
        }

        if (token.Kind == CypherTokenKind.Word && keyword != CypherKeyword.None)
        {
            consumed = true;
            var rejection = HandleKeyword(token, keyword);
            if (rejection is not null)
            {
                return rejection;
            }
        }

        return Reject(CypherViolation.UnexpectedQueryStart, TokenText(token), token.Start);
    }

    private static bool IsReadQueryStart(CypherKeyword keyword) => keyword is CypherKeyword.Match
        or CypherKeyword.Optional or CypherKeyword.With or CypherKeyword.Unwind or CypherKeyword.Return
        or CypherKeyword.Call or CypherKeyword.Filter or CypherKeyword.Let or CypherKeyword.Finish
        or CypherKeyword.When;

    // CYPHER [version] [option=value ...]: planner and runtime options cannot make a query write.
    private void SkipCypherOptions()
    {
        if (_next.Kind == CypherTokenKind.Number)
        {
            Advance();
        }

        while (_next.Kind == CypherTokenKind.Word && PeekSecond().Kind == CypherTokenKind.Equals)
        {
            Advance();
            Advance();
            if (_next.Kind is CypherTokenKind.Word or CypherTokenKind.Number)
            {
                Advance();
            }
        }
    }

    private CypherValidationResult? CheckStatementEnd()
    {
        if (_depth > 0)
        {
            return Reject(CypherViolation.MultipleStatements, "multiple statements", _current.Start);
        }

        return _next.Kind == CypherTokenKind.EndOfInput
            ? null
            : Reject(CypherViolation.MultipleStatements, "multiple statements", _next.Start);
    }

    private CypherValidationResult? TrackDottedName(CypherToken token)
    {
        bool isName = token.Kind is CypherTokenKind.Word or CypherTokenKind.BacktickIdentifier;
        bool continues = (_dottedState == DottedNameState.AfterSegment && token.Kind == CypherTokenKind.Dot)
            || (_dottedState == DottedNameState.AfterDot && isName);
        if (continues)
        {
            if (isName)
            {
                _dottedEnd = token.End;
                _dottedSegments++;
                _dottedHasQuotedSegment |= token.Kind == CypherTokenKind.BacktickIdentifier;
            }

            _dottedState = isName ? DottedNameState.AfterSegment : DottedNameState.AfterDot;
            return null;
        }

        if (_dottedState != DottedNameState.None && EndDottedName(token) is { } rejection)
        {
            return rejection;
        }

        if (isName)
        {
            _dottedState = DottedNameState.AfterSegment;
            _dottedStart = token.Start;
            _dottedEnd = token.End;
            _dottedSegments = 1;
            _dottedHasQuotedSegment = token.Kind == CypherTokenKind.BacktickIdentifier;
            _dottedIsProcedure = _procedureNamePending;
            _procedureNamePending = false;
        }

        return null;
    }

    private CypherValidationResult? EndDottedName(CypherToken following)
    {
        bool isProcedure = _dottedIsProcedure;
        bool complete = _dottedState == DottedNameState.AfterSegment;
        _dottedState = DottedNameState.None;
        _dottedIsProcedure = false;
        if (isProcedure)
        {
            return CheckProcedure();
        }

        // Plain single words cannot spell a namespaced function; `a.b.c` in backticks can.
        bool isFunctionCall = complete && following.Kind == CypherTokenKind.LeftParen;
        bool mayBeDenied = _dottedSegments > 1 || _dottedHasQuotedSegment || _policy.DeniedProcedures.Count > 0;
        return isFunctionCall && mayBeDenied ? CheckFunction() : null;
    }

    private CypherValidationResult? CheckProcedure()
    {
        int length = CypherTokenText.DecodeDottedName(_text, _dottedStart, _dottedEnd, _nameBuffer);
        if (length >= 0 && CypherProcedureRules.IsProcedureAllowed(_nameBuffer[..length], _policy))
        {
            return null;
        }

        string name = DottedNameText(length);
        var violation = length >= 0 && CypherProcedureRules.IsBuiltInDenied(_nameBuffer[..length])
            ? CypherViolation.DeniedProcedure
            : CypherViolation.Procedure;
        return Reject(violation, name, _dottedStart);
    }

    private CypherValidationResult? CheckFunction()
    {
        int length = CypherTokenText.DecodeDottedName(_text, _dottedStart, _dottedEnd, _nameBuffer);
        return length >= 0 && !CypherProcedureRules.IsFunctionDenied(_nameBuffer[..length], _policy)
            ? null
            : Reject(CypherViolation.Function, DottedNameText(length), _dottedStart);
    }

    private readonly string DottedNameText(int decodedLength) => decodedLength >= 0
        ? new string(_nameBuffer[..decodedLength])
        : _query[_dottedStart..Math.Min(_dottedEnd, _dottedStart + MaxDottedNameLength)];

    // Variable-length relationship: '*' [lower] ['..' [upper]] inside -[ ]-.
    private CypherValidationResult? CheckVariableLength()
    {
        int position = _current.Start;
        _frames[_depth - 1].Flags |= FrameFlags.LengthSeen;
        int? upper = null;
        bool malformed = false;
        if (_next.Kind == CypherTokenKind.Number)
        {
            upper = CypherTokenText.Integer(_text, _next);
            malformed = upper is null;
            Advance();
        }

        if (_next.Kind == CypherTokenKind.DotDot)
        {
            Advance();
            upper = null;
            if (_next.Kind == CypherTokenKind.Number)
            {
                upper = CypherTokenText.Integer(_text, _next);
                malformed |= upper is null;
                Advance();
            }
        }

        return CheckUpperBound(malformed ? null : upper, position);
    }

    // Quantified path patterns (Cypher 5.9+ / 25): ((a)-->(b)){m,n}, -[:R]->{m,n}, '+' and '*'.
    private CypherValidationResult? CheckPathQuantifier(out bool consumed)
    {
        consumed = true;
        int position = _current.Start;
        if (_current.Kind != CypherTokenKind.LeftBrace)
        {
            return CheckUpperBound(null, position);
        }

        var probe = _lexer;
        var first = _next;
        var second = NextOf(ref probe);
        var third = NextOf(ref probe);
        var fourth = NextOf(ref probe);
        _lookaheadSteps += probe.Steps - _lexer.Steps;

        int? a = CypherTokenText.Integer(_text, first);
        int? b = CypherTokenText.Integer(_text, second);
        int? c = CypherTokenText.Integer(_text, third);
        (int Tokens, int? Upper) shape = (first.Kind, second.Kind, third.Kind, fourth.Kind) switch
        {
            (CypherTokenKind.Number, CypherTokenKind.RightBrace, _, _) when a is not null => (2, a),
            (CypherTokenKind.Number, CypherTokenKind.Comma, CypherTokenKind.RightBrace, _) when a is not null => (3, null),
            (CypherTokenKind.Number, CypherTokenKind.Comma, CypherTokenKind.Number, CypherTokenKind.RightBrace)
                when a is not null && c is not null => (4, c),
            (CypherTokenKind.Comma, CypherTokenKind.RightBrace, _, _) => (2, null),
            (CypherTokenKind.Comma, CypherTokenKind.Number, CypherTokenKind.RightBrace, _) when b is not null => (3, b),
            _ => (0, null),
        };

        if (shape.Tokens == 0)
        {
            consumed = false;
            return null;
        }

        for (int i = 0; i < shape.Tokens; i++)
        {
            Advance();
        }

        return CheckUpperBound(shape.Upper, position);
    }

    private readonly CypherValidationResult? CheckUpperBound(int? upper, int position)
    {
        int limit = _policy.MaxVariableLengthHops;
        if (upper is null)
        {
            return Reject(CypherViolation.UnboundedVariableLength, "variable-length pattern", position,
                limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return upper <= limit
            ? null
            : Reject(CypherViolation.VariableLengthAboveLimit, "variable-length pattern", position,
                $"up to {upper} hops but the limit is {limit}");
    }

    private void HandleMinus(bool previousClosedRelationship)
    {
        if (previousClosedRelationship)
        {
            _quantifiable = true;
        }

        if (_previous.Kind == CypherTokenKind.Minus)
        {
            MarkRelationshipInGroup();
            _quantifiable = true;
        }
        else if (_previous.Kind == CypherTokenKind.LessThan)
        {
            MarkRelationshipInGroup();
        }
    }

    private CypherValidationResult? HandleLeftBrace(CypherKeyword previousKeyword, bool subqueryBraceExpected)
    {
        bool subquery = subqueryBraceExpected || previousKeyword is CypherKeyword.Exists or CypherKeyword.Count
            or CypherKeyword.Collect or CypherKeyword.Call;
        if (subquery)
        {
            _expectStart = QueryStart.Subquery;
            return Push(FrameKind.Subquery, FrameFlags.None, _current.Start);
        }

        if (TopIs(FrameKind.Relationship))
        {
            _frames[_depth - 1].Flags |= FrameFlags.LengthSeen;
        }

        _mapKeyPending = true;
        return Push(FrameKind.Map, FrameFlags.None, _current.Start);
    }

    private readonly FrameFlags ParenFlags(CypherKeyword previousKeyword)
    {
        if (previousKeyword == CypherKeyword.Call)
        {
            return FrameFlags.CallScope;
        }

        bool afterName = _previous.Kind == CypherTokenKind.BacktickIdentifier
            || (_previous.Kind == CypherTokenKind.Word && !IsPatternIntroducer(previousKeyword));
        return afterName ? FrameFlags.FunctionCall : FrameFlags.None;
    }

    // Keywords a parenthesized path pattern can follow; after any other word '(' opens a function call.
    private static bool IsPatternIntroducer(CypherKeyword keyword) => keyword is CypherKeyword.Match
        or CypherKeyword.Optional or CypherKeyword.Where or CypherKeyword.And or CypherKeyword.Or
        or CypherKeyword.Xor or CypherKeyword.Not or CypherKeyword.Return or CypherKeyword.With
        or CypherKeyword.When or CypherKeyword.Then or CypherKeyword.Else or CypherKeyword.In
        or CypherKeyword.Shortest or CypherKeyword.Any or CypherKeyword.All or CypherKeyword.Path
        or CypherKeyword.Paths or CypherKeyword.Groups or CypherKeyword.Elements or CypherKeyword.Relationships
        or CypherKeyword.Walk or CypherKeyword.Trail or CypherKeyword.Acyclic
        or CypherKeyword.Unwind or CypherKeyword.Filter;

    private void MarkRelationshipInGroup()
    {
        if (TopIs(FrameKind.Paren))
        {
            _frames[_depth - 1].Flags |= FrameFlags.HasRelationship;
        }
    }

    private void ExpectLabelName()
    {
        _nameNext = true;
        _nameNextIsLabel = true;
    }

    private CypherValidationResult? Push(FrameKind kind, FrameFlags flags, int start)
    {
        if (_depth >= _frames.Length)
        {
            return Reject(CypherViolation.NestingTooDeep, OpeningText(kind), start);
        }

        _frames[_depth++] = new Frame(kind, flags, start);
        return null;
    }

    private CypherValidationResult? Pop(CypherToken closing)
    {
        var expected = closing.Kind switch
        {
            CypherTokenKind.RightParen => FrameKind.Paren,
            CypherTokenKind.RightBracket => FrameKind.List,
            _ => FrameKind.Map,
        };
        string closingText = closing.Kind switch
        {
            CypherTokenKind.RightParen => ")",
            CypherTokenKind.RightBracket => "]",
            _ => "}",
        };
        if (_depth == 0 || Family(_frames[_depth - 1].Kind) != expected)
        {
            return Reject(CypherViolation.UnbalancedBracket, closingText, closing.Start);
        }

        var frame = _frames[--_depth];
        switch (frame.Kind)
        {
            case FrameKind.Paren when (frame.Flags & FrameFlags.CallScope) != 0:
                _subqueryBraceExpected = true;
                break;
            case FrameKind.Paren:
                _quantifiable = (frame.Flags & (FrameFlags.FunctionCall | FrameFlags.HasRelationship)) == FrameFlags.HasRelationship;
                if (_quantifiable)
                {
                    // A path group is itself part of the enclosing path: (((a)-->(b)))+ repeats it.
                    MarkRelationshipInGroup();
                }

                break;
            case FrameKind.Relationship:
                _previousClosedRelationship = true;
                break;
        }

        return null;
    }

    private static FrameKind Family(FrameKind kind) => kind switch
    {
        FrameKind.Relationship => FrameKind.List,
        FrameKind.Subquery => FrameKind.Map,
        _ => kind,
    };

    private static string OpeningText(FrameKind kind) => kind switch
    {
        FrameKind.Paren => "(",
        FrameKind.List or FrameKind.Relationship => "[",
        _ => "{",
    };

    private readonly bool TopIs(FrameKind kind) => _depth > 0 && _frames[_depth - 1].Kind == kind;

    private void Advance()
    {
        _previous = _current;
        _current = _next;
        _lexer.MoveNext();
        _next = _lexer.Current;
    }

    private readonly CypherKeyword NextKeyword() => CypherTokenText.Keyword(_text, _next);

    private CypherToken PeekSecond()
    {
        var probe = _lexer;
        var token = NextOf(ref probe);
        _lookaheadSteps += probe.Steps - _lexer.Steps;
        return token;
    }

    private static CypherToken NextOf(ref CypherLexer probe)
    {
        probe.MoveNext();
        return probe.Current;
    }

    // Rejection path only: names "CREATE INDEX", "SHOW USERS", "TERMINATE TRANSACTIONS" ...
    private readonly CypherValidationResult RejectAdministrationOr(CypherToken token, CypherKeyword verb, CypherViolation fallback)
    {
        var probe = _lexer;
        var candidate = _next;
        for (int i = 0; i < 4 && candidate.Kind == CypherTokenKind.Word; i++)
        {
            var noun = CypherTokenText.Keyword(_text, candidate);
            if (noun is >= CypherKeyword.Database and <= CypherKeyword.Settings || noun == CypherKeyword.Transactions)
            {
                string command = CypherKeywords.Text(verb) + " " + CypherKeywords.Text(noun);
                return Reject(CypherViolation.Administration, command, token.Start);
            }

            candidate = NextOf(ref probe);
        }

        return Reject(fallback, CypherKeywords.Text(verb), token.Start);
    }

    private readonly string ClientCommandText() =>
        _next.Kind == CypherTokenKind.Word ? ":" + _query.Substring(_next.Start, Math.Min(_next.Length, 40)) : ":";

    private readonly string TokenText(CypherToken token)
    {
        if (token.Kind == CypherTokenKind.EndOfInput)
        {
            return "end of query";
        }

        var keyword = CypherTokenText.Keyword(_text, token);
        return keyword != CypherKeyword.None
            ? CypherKeywords.Text(keyword)
            : _query.Substring(token.Start, Math.Min(token.Length, 40));
    }

    private readonly CypherValidationResult Reject(CypherViolation violation, string clause, int position, string? detail = null) =>
        CypherRejection.Create(_query, violation, clause, position, detail);

    internal enum FrameKind : byte
    {
        Paren,
        List,
        Relationship,
        Map,
        Subquery,
    }

    [Flags]
    internal enum FrameFlags : byte
    {
        None = 0,
        FunctionCall = 1,
        HasRelationship = 2,
        LengthSeen = 4,
        CallScope = 8,
    }

    internal record struct Frame(FrameKind Kind, FrameFlags Flags, int Start);

    private enum QueryStart : byte
    {
        None,
        Statement,
        Branch,
        Subquery,
    }

    private enum DottedNameState : byte
    {
        None,
        AfterSegment,
        AfterDot,
    }
}
