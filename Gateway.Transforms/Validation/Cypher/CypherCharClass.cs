using System.Globalization;

namespace Gateway.Transforms.Validation.Cypher;

/// <summary>Character classes of the Cypher lexer (Neo4j 5 / Cypher 25 lexer grammar).</summary>
internal static class CypherCharClass
{
    public static bool IsWhitespace(char c)
    {
        if (c <= ' ')
        {
            return c == ' ' || (c >= '\u0009' && c <= '\u000D') || (c >= '\u001C' && c <= '\u001F');
        }

        if (c < '\u0085')
        {
            return false;
        }

        if (c == '\u0085' || c == '\uFEFF')
        {
            return true;
        }

        var category = CharUnicodeInfo.GetUnicodeCategory(c);
        return category is UnicodeCategory.SpaceSeparator
            or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator;
    }

    /// <summary>Line terminators that some Cypher dialects end <c>//</c> comments at and Neo4j does not.</summary>
    public static bool IsAmbiguousLineTerminator(char c) => c is '\u0085' or '\u2028' or '\u2029';

    public static bool IsIdentifierStart(char c)
    {
        if (c < 128)
        {
            return char.IsAsciiLetter(c) || c == '_';
        }

        return CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.UppercaseLetter
            or UnicodeCategory.LowercaseLetter
            or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter
            or UnicodeCategory.OtherLetter
            or UnicodeCategory.LetterNumber
            or UnicodeCategory.ConnectorPunctuation;
    }

    // Must never include a character Neo4j treats as punctuation or whitespace, otherwise a keyword
    // glued to it would hide inside a longer identifier. '$' is the only currency symbol that matters.
    public static bool IsIdentifierPart(char c)
    {
        if (c < 128)
        {
            return char.IsAsciiLetterOrDigit(c) || c == '_';
        }

        return IsIdentifierStart(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.DecimalDigitNumber
            or UnicodeCategory.NonSpacingMark
            or UnicodeCategory.SpacingCombiningMark
            or UnicodeCategory.CurrencySymbol;
    }

    /// <summary>Unicode dashes Neo4j accepts as the line of a relationship arrow.</summary>
    public static bool IsDash(char c) => c is '-' or '\u00AD' or (>= '\u2010' and <= '\u2015') or '\uFE58' or '\uFE63' or '\uFF0D';

    public static bool IsLeftArrowHead(char c) => c is '<' or '\u27E8' or '\u3008' or '\uFE64' or '\uFF1C';

    public static bool IsRightArrowHead(char c) => c is '>' or '\u27E9' or '\u3009' or '\uFE65' or '\uFF1E';
}
