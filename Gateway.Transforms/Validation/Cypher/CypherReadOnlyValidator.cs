namespace Gateway.Transforms.Validation.Cypher;

/// <summary>
/// Decides whether a Cypher query is read-only before it reaches the database. It lexes the query
/// exactly as Neo4j does (unicode escapes decoded first, all Cypher whitespace, comments, quoted
/// names) and checks clauses, procedures, functions and path lengths against a <see cref="CypherPolicy"/>.
/// Anything it cannot classify is rejected.
/// </summary>
public static class CypherReadOnlyValidator
{
    public static CypherValidationResult Validate(string query, CypherPolicy policy)
    {
        string text = query ?? string.Empty;
        try
        {
            return ValidateCore(text, policy ?? CypherPolicy.ReadOnly, out _);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A guard must fail closed: a validator bug may never let a query through or crash the caller.
            return CypherRejection.Create(text, CypherViolation.InternalError, "validator error", 0);
        }
    }

    /// <summary>Validation without the fail-closed guard, reporting lexer work for linearity tests.</summary>
    internal static CypherValidationResult ValidateCore(string query, CypherPolicy policy, out long lexerSteps)
    {
        Span<CypherQueryAnalyzer.Frame> frames = stackalloc CypherQueryAnalyzer.Frame[CypherRejection.MaxNesting];
        Span<char> nameBuffer = stackalloc char[256];
        var analyzer = new CypherQueryAnalyzer(query, policy, frames, nameBuffer);
        var result = analyzer.Run();
        lexerSteps = analyzer.Steps;
        return result;
    }
}
