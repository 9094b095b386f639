using Gateway.Transforms.Validation.Cypher;

namespace Gateway.Tests.Validation.Cypher;

public sealed class CypherLexerTests
{
    [Test]
    public void Lex_SimpleQuery_YieldsKindsAndPositions()
    {
        var tokens = Lex("MATCH (n:Person) RETURN n.name");

        Assert.That(tokens, Is.EqualTo(new[]
        {
            new CypherToken(CypherTokenKind.Word, 0, 5),
            new CypherToken(CypherTokenKind.LeftParen, 6, 1),
            new CypherToken(CypherTokenKind.Word, 7, 1),
            new CypherToken(CypherTokenKind.Colon, 8, 1),
            new CypherToken(CypherTokenKind.Word, 9, 6),
            new CypherToken(CypherTokenKind.RightParen, 15, 1),
            new CypherToken(CypherTokenKind.Word, 17, 6),
            new CypherToken(CypherTokenKind.Word, 24, 1),
            new CypherToken(CypherTokenKind.Dot, 25, 1),
            new CypherToken(CypherTokenKind.Word, 26, 4),
        }));
    }

    [Test]
    public void Lex_CommentsAndUnicodeWhitespace_AreSkipped()
    {
        var kinds = Kinds("RETURN/* a */\u2003// b\n\u00A01");

        Assert.That(kinds, Is.EqualTo(new[] { CypherTokenKind.Word, CypherTokenKind.Number }));
    }

    [Test]
    public void Lex_UnicodeEscapeInWord_IsOneWordFlaggedForDecoding()
    {
        var tokens = Lex(@"CR\u0045ATE x");

        Assert.That(tokens[0], Is.EqualTo(new CypherToken(CypherTokenKind.Word, 0, 11, HasUnicodeEscapes: true)));
    }

    [Test]
    public void Lex_EscapedBackslashBeforeU_IsNotAUnicodeEscape()
    {
        var tokens = Lex(@"'\\u0027' x");

        Assert.That(tokens.Select(t => t.Kind), Is.EqualTo(new[] { CypherTokenKind.String, CypherTokenKind.Word }));
    }

    [TestCase("'a\\'b'", 6)]
    [TestCase("\"a\\\"b\"", 6)]
    [TestCase("'it''s'", 4)]
    public void Lex_StringWithEscapedQuote_EndsAtTheUnescapedQuote(string text, int length)
    {
        Assert.That(Lex(text)[0], Is.EqualTo(new CypherToken(CypherTokenKind.String, 0, length)));
    }

    [Test]
    public void Lex_BacktickWithDoubledBacktick_IsOneIdentifier()
    {
        Assert.That(Lex("`a``b` x")[0], Is.EqualTo(new CypherToken(CypherTokenKind.BacktickIdentifier, 0, 6)));
    }

    [TestCase("$name", 5)]
    [TestCase("$0", 2)]
    [TestCase("$`a b`", 6)]
    [TestCase("${legacy}", 9)]
    [TestCase("${ legacy }", 11)]
    public void Lex_Parameter_IsOneToken(string text, int length)
    {
        Assert.That(Lex(text)[0], Is.EqualTo(new CypherToken(CypherTokenKind.Parameter, 0, length)));
    }

    [Test]
    public void Lex_DollarFollowedBySpace_IsDollarToken()
    {
        Assert.That(Kinds("$ x"), Is.EqualTo(new[] { CypherTokenKind.Dollar, CypherTokenKind.Word }));
    }

    [TestCase("1..5", new[] { CypherTokenKind.Number, CypherTokenKind.DotDot, CypherTokenKind.Number })]
    [TestCase("1.5e-3", new[] { CypherTokenKind.Number })]
    [TestCase(".5", new[] { CypherTokenKind.Number })]
    [TestCase("0x1F", new[] { CypherTokenKind.Number })]
    [TestCase("1e-", new[] { CypherTokenKind.Number, CypherTokenKind.Minus })]
    [TestCase("1CREATE", new[] { CypherTokenKind.Number })]
    [TestCase("n.x", new[] { CypherTokenKind.Word, CypherTokenKind.Dot, CypherTokenKind.Word })]
    [TestCase("a::INT", new[] { CypherTokenKind.Word, CypherTokenKind.DoubleColon, CypherTokenKind.Word })]
    [TestCase("<>!=<=>==~+=||", new[]
    {
        CypherTokenKind.NotEquals, CypherTokenKind.NotEquals, CypherTokenKind.LessThanOrEqual,
        CypherTokenKind.GreaterThanOrEqual, CypherTokenKind.RegexMatch, CypherTokenKind.PlusEquals,
        CypherTokenKind.DoublePipe,
    })]
    [TestCase("\u2014\u27E8\uFF1E", new[] { CypherTokenKind.Minus, CypherTokenKind.LessThan, CypherTokenKind.GreaterThan })]
    public void Lex_NumbersAndOperators_SplitLikeNeo4j(string text, CypherTokenKind[] expected)
    {
        Assert.That(Kinds(text), Is.EqualTo(expected));
    }

    [TestCase("/* open", CypherLexError.UnterminatedBlockComment)]
    [TestCase("'open", CypherLexError.UnterminatedString)]
    [TestCase("`open", CypherLexError.UnterminatedBacktickIdentifier)]
    [TestCase("#", CypherLexError.InvalidCharacter)]
    [TestCase(@"\u00ZZ", CypherLexError.InvalidUnicodeEscape)]
    [TestCase(@"'\u0027'", CypherLexError.AmbiguousUnicodeEscape)]
    [TestCase(@"// \u000a", CypherLexError.AmbiguousUnicodeEscape)]
    [TestCase("// \u2028", CypherLexError.AmbiguousLineTerminator)]
    public void Lex_MalformedText_YieldsErrorTokenInsteadOfThrowingOrHanging(string text, CypherLexError error)
    {
        var token = Lex(text)[0];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(token.Kind, Is.EqualTo(CypherTokenKind.Error));
            Assert.That(token.Error, Is.EqualTo(error));
        }
    }

    [Test]
    public void Lex_EscapedNewlineInCode_DecodesToWhitespace()
    {
        Assert.That(Kinds(@"RETURN\u000A1"), Is.EqualTo(new[] { CypherTokenKind.Word, CypherTokenKind.Number }));
    }

    [Test]
    public void Lex_AfterEnd_KeepsReturningEndOfInput()
    {
        var lexer = new CypherLexer("x");
        lexer.MoveNext();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(lexer.MoveNext(), Is.False);
            Assert.That(lexer.MoveNext(), Is.False);
            Assert.That(lexer.Current, Is.EqualTo(new CypherToken(CypherTokenKind.EndOfInput, 1, 0)));
        }
    }

    private static CypherToken[] Lex(string text)
    {
        var tokens = new List<CypherToken>();
        foreach (var token in new CypherLexer(text))
        {
            tokens.Add(token);
        }

        return [.. tokens];
    }

    private static CypherTokenKind[] Kinds(string text) => [.. Lex(text).Select(t => t.Kind)];
}
