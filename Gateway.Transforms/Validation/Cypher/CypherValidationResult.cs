namespace Gateway.Transforms.Validation.Cypher;

/// <summary>Outcome of validating a Cypher query.</summary>
/// <param name="IsAllowed">True when the query may run.</param>
/// <param name="Clause">The offending clause, keyword or procedure in normalized form (e.g. "DETACH DELETE", "apoc.cypher.doIt").</param>
/// <param name="Position">0-based character offset of the offending token in the original query text.</param>
/// <param name="Line">1-based line of <paramref name="Position"/>.</param>
/// <param name="Column">1-based column of <paramref name="Position"/>.</param>
/// <param name="Reason">What was rejected and what to do instead; null when allowed.</param>
public readonly record struct CypherValidationResult(
    bool IsAllowed,
    string? Clause,
    int Position,
    int Line,
    int Column,
    string? Reason)
{
    public static CypherValidationResult Allowed { get; } = new(true, null, -1, 0, 0, null);
}
