namespace DemoBackends.AiAgents.Graph;

/// <summary>The scalar functions the demo evaluates (count is an aggregate, handled by the evaluator).</summary>
internal static class QueryFunctions
{
    private static readonly HashSet<string> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        "count", "type", "labels", "id", "keys", "properties", "toLower", "toUpper",
    };

    public static bool IsKnown(string name) => Known.Contains(name);

    public static object? Apply(string name, object? value, PropertyGraph graph) => name.ToLowerInvariant() switch
    {
        _ when value is null => null,
        "type" => value is GraphEdge edge ? edge.Type : throw Wrong(name, "a relationship"),
        "labels" => value is GraphNode node ? new List<object?> { node.Label } : throw Wrong(name, "a node"),
        "id" => value switch
        {
            GraphNode node => (long)IndexOf(graph.Nodes, node),
            GraphEdge edge => (long)IndexOf(graph.Edges, edge),
            _ => throw Wrong(name, "a node or a relationship"),
        },
        "keys" => value switch
        {
            GraphNode node => node.Properties.Keys.Cast<object?>().ToList(),
            GraphEdge => new List<object?>(),
            _ => throw Wrong(name, "a node or a relationship"),
        },
        "properties" => value switch
        {
            GraphNode node => node.Properties.ToDictionary(p => p.Key, p => (object?)p.Value),
            GraphEdge => new Dictionary<string, object?>(),
            _ => throw Wrong(name, "a node or a relationship"),
        },
        "tolower" => value is string s ? s.ToLowerInvariant() : throw Wrong(name, "a string"),
        "toupper" => value is string s ? s.ToUpperInvariant() : throw Wrong(name, "a string"),
        _ => throw GraphQueryException.NotSupported($"count() can only be a returned column, e.g. RETURN t.name, count(s)."),
    };

    private static int IndexOf<T>(IReadOnlyList<T> items, T item) where T : class
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (ReferenceEquals(items[i], item))
            {
                return i;
            }
        }

        return -1;
    }

    private static GraphQueryException Wrong(string function, string expected) =>
        GraphQueryException.NotSupported($"{function}() takes {expected}.");
}
