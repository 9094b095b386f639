namespace DemoBackends.AiAgents.Graph;

/// <summary>A literal (string or long) or a <c>$parameter</c> resolved at evaluation time.</summary>
internal sealed record QueryValue(object? Literal, string? Parameter);

internal sealed record PropertyMatch(string Property, QueryValue Value);

internal sealed record NodePattern(string? Variable, string? Label, IReadOnlyList<PropertyMatch> Properties);

internal sealed record WhereCondition(string Variable, string Property, QueryValue Value);

/// <summary>Either <c>variable.property</c> or <c>count(variable)</c>.</summary>
internal sealed record ReturnItem(string Variable, string? Property, bool IsCount)
{
    public string Column => IsCount ? $"count({Variable})" : $"{Variable}.{Property}";
}

/// <summary>MATCH start[-[:Type]->end] [WHERE ...] RETURN ... [LIMIT n].</summary>
internal sealed record GraphQuery(
    NodePattern Start,
    string? RelationshipType,
    NodePattern? End,
    IReadOnlyList<WhereCondition> Where,
    IReadOnlyList<ReturnItem> Return,
    int? Limit);
