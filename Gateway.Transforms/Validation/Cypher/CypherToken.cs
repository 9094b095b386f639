namespace Gateway.Transforms.Validation.Cypher;

/// <summary>A significant token: its kind and where it lies in the original (undecoded) query text.</summary>
/// <param name="HasUnicodeEscapes">The token's text contains <c>\uXXXX</c> escapes that must be decoded to read it.</param>
public readonly record struct CypherToken(
    CypherTokenKind Kind,
    int Start,
    int Length,
    bool HasUnicodeEscapes = false,
    CypherLexError Error = CypherLexError.None)
{
    public int End => Start + Length;
}
