namespace Gateway.Transforms.Validation.Cypher;

/// <summary>Why the lexer produced a <see cref="CypherTokenKind.Error"/> token.</summary>
public enum CypherLexError : byte
{
    None,
    InvalidCharacter,
    InvalidUnicodeEscape,

    /// <summary>
    /// A <c>\uXXXX</c> escape decodes to a character that ends the enclosing string, identifier or
    /// comment. Neo4j decodes escapes before lexing, other Cypher engines do not, so the two would
    /// see different queries.
    /// </summary>
    AmbiguousUnicodeEscape,

    /// <summary>A <c>//</c> comment contains U+0085, U+2028 or U+2029, which some engines treat as a line end.</summary>
    AmbiguousLineTerminator,
    UnterminatedString,
    UnterminatedBacktickIdentifier,
    UnterminatedBlockComment,
}
