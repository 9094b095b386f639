namespace DemoBackends.AiAgents.Graph;

/// <summary>An expression; <see cref="Text"/> is its source text, which names a returned column as in Cypher.</summary>
internal abstract record QueryExpr(string Text);

internal sealed record LiteralExpr(string Text, object? Value) : QueryExpr(Text);

internal sealed record ParameterExpr(string Text, string Name) : QueryExpr(Text);

internal sealed record VariableExpr(string Text, string Name) : QueryExpr(Text);

internal sealed record PropertyExpr(string Text, QueryExpr Target, string Property) : QueryExpr(Text);

internal sealed record ListExpr(string Text, IReadOnlyList<QueryExpr> Items) : QueryExpr(Text);

/// <summary>count(x), count(*), count(DISTINCT x), type(r), labels(n), id(n), keys(n), properties(n), toLower/toUpper(s).</summary>
internal sealed record FunctionExpr(string Text, string Name, QueryExpr? Argument, bool Distinct) : QueryExpr(Text)
{
    public bool IsCount => string.Equals(Name, "count", StringComparison.OrdinalIgnoreCase);
}

/// <summary>AND, OR, XOR, =, &lt;&gt;, &lt;, &gt;, &lt;=, &gt;=, CONTAINS, STARTS WITH, ENDS WITH, IN.</summary>
internal sealed record BinaryExpr(string Text, string Operator, QueryExpr Left, QueryExpr Right) : QueryExpr(Text);

internal sealed record NotExpr(string Text, QueryExpr Operand) : QueryExpr(Text);

internal sealed record IsNullExpr(string Text, QueryExpr Operand, bool Negated) : QueryExpr(Text);

internal enum Direction
{
    Out,
    In,
    Either,
}

internal sealed record NodePattern(string? Variable, string? Label, IReadOnlyList<KeyValuePair<string, QueryExpr>> Properties);

internal sealed record RelationshipPattern(string? Variable, IReadOnlyList<string> Types, Direction Direction);

internal sealed record PathPattern(NodePattern Start, IReadOnlyList<(RelationshipPattern Relationship, NodePattern Node)> Hops);

internal sealed record ReturnItem(QueryExpr Expression, string Column);

internal sealed record SortItem(QueryExpr Expression, bool Descending);

/// <summary>
/// <c>MATCH path, ... [WHERE] RETURN [DISTINCT] items [ORDER BY] [SKIP] [LIMIT]</c>, or <c>CALL db.x() [YIELD v] [RETURN ...]</c>
/// (then <see cref="Procedure"/> is set and <see cref="Patterns"/> is empty).
/// </summary>
internal sealed record GraphQuery(
    IReadOnlyList<PathPattern> Patterns,
    string? Procedure,
    string? ProcedureColumn,
    QueryExpr? Where,
    bool Distinct,
    IReadOnlyList<ReturnItem> Return,
    IReadOnlyList<SortItem> OrderBy,
    long? Skip,
    long? Limit);
