namespace Gateway.Transforms.Validation.Cypher;

/// <summary>Builds rejection results with a position and a human explanation.</summary>
internal static class CypherRejection
{
    public const int MaxNesting = 256;

    public static CypherValidationResult Create(
        string text, CypherViolation violation, string clause, int position, string? detail = null)
    {
        position = Math.Clamp(position, 0, text.Length);
        var (line, column) = LineAndColumn(text, position);
        string where = $"line {line}, column {column}";
        string reason = violation switch
        {
            CypherViolation.WriteClause =>
                $"Write clause {clause} at {where} is not allowed: graph_query is read-only. Use MATCH ... RETURN.",
            CypherViolation.Administration =>
                $"Administration or schema command {clause} at {where} is not allowed: graph_query only runs read-only queries. Use MATCH ... RETURN.",
            CypherViolation.LoadCsv =>
                $"{clause} at {where} is not allowed: graph_query may not read files or URLs. Query data already in the graph with MATCH ... RETURN.",
            CypherViolation.GraphSelection =>
                $"{clause} at {where} is not allowed: graph_query always runs against its configured database. Remove the USE clause.",
            CypherViolation.CallInTransactions =>
                $"{clause} at {where} is not allowed: batched transactions are only for writes. Remove IN TRANSACTIONS.",
            CypherViolation.Procedure =>
                $"Procedure {clause} at {where} is not on the graph_query allow-list. Call only allow-listed read-only procedures such as db.labels, db.relationshipTypes or db.propertyKeys.",
            CypherViolation.DeniedProcedure =>
                $"Procedure {clause} at {where} is not allowed: it can write data, run dynamic Cypher, administer the database or access external resources.",
            CypherViolation.Function =>
                $"Function {clause} at {where} is not allowed: it can write data, run dynamic Cypher or access external resources. Use plain Cypher expressions instead.",
            CypherViolation.MultipleStatements =>
                $"Multiple statements are not allowed: a second statement starts at {where}. Send exactly one query (a single trailing ';' is fine).",
            CypherViolation.ClientCommand =>
                $"Client command {clause} at {where} is not Cypher and is not allowed. Send a single Cypher query without shell or browser commands.",
            CypherViolation.UnboundedVariableLength =>
                $"Variable-length pattern at {where} has no upper bound. Add one, e.g. [*1..{detail}] or {{1,{detail}}}.",
            CypherViolation.VariableLengthAboveLimit =>
                $"Variable-length pattern at {where} allows {detail}. Lower the upper bound.",
            CypherViolation.UnexpectedQueryStart =>
                $"{clause} at {where} is not allowed here: a query must start with a read clause (MATCH, OPTIONAL MATCH, WITH, UNWIND, RETURN or CALL).",
            CypherViolation.EmptyQuery =>
                "The query is empty. Send a read-only Cypher query such as MATCH (n) RETURN n LIMIT 10.",
            CypherViolation.UnbalancedBracket =>
                $"Unexpected '{clause}' at {where}: it does not close an open bracket. Fix the query syntax.",
            CypherViolation.UnclosedBracket =>
                $"'{clause}' opened at {where} is never closed. Fix the query syntax.",
            CypherViolation.NestingTooDeep =>
                $"Brackets are nested more than {MaxNesting} levels deep at {where}. Simplify the query.",
            CypherViolation.Lexical =>
                $"Invalid query text at {where}: {detail}",
            _ => $"The query could not be validated ({where}) and was rejected. Simplify the query.",
        };

        return new CypherValidationResult(false, clause, position, line, column, reason);
    }

    public static (int Line, int Column) LineAndColumn(ReadOnlySpan<char> text, int position)
    {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < position && i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\n' || (c == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n')))
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, position - lineStart + 1);
    }

    public static string LexicalDetail(CypherLexError error) => error switch
    {
        CypherLexError.InvalidCharacter =>
            "this character is not valid Cypher outside strings and comments.",
        CypherLexError.InvalidUnicodeEscape =>
            @"\u must be followed by exactly four hexadecimal digits.",
        CypherLexError.AmbiguousUnicodeEscape =>
            @"a \u escape here would end the enclosing string, identifier or comment. Write the character literally or use a different escape (e.g. \' or \\).",
        CypherLexError.AmbiguousLineTerminator =>
            "a // comment contains U+0085, U+2028 or U+2029. Use /* */ comments or remove the character.",
        CypherLexError.UnterminatedString =>
            "the string literal is never closed. Close it with the same quote.",
        CypherLexError.UnterminatedBacktickIdentifier =>
            "the `quoted name` is never closed. Close it with a backtick.",
        CypherLexError.UnterminatedBlockComment =>
            "the /* comment is never closed. Close it with */.",
        _ => "the text cannot be tokenized.",
    };

    public static string LexicalClause(CypherLexError error) => error switch
    {
        CypherLexError.InvalidCharacter => "invalid character",
        CypherLexError.InvalidUnicodeEscape => "invalid unicode escape",
        CypherLexError.AmbiguousUnicodeEscape => "ambiguous unicode escape",
        CypherLexError.AmbiguousLineTerminator => "ambiguous line terminator",
        CypherLexError.UnterminatedString => "unterminated string",
        CypherLexError.UnterminatedBacktickIdentifier => "unterminated identifier",
        CypherLexError.UnterminatedBlockComment => "unterminated comment",
        _ => "invalid token",
    };
}
