namespace DemoBackends.AiAgents.Graph;

/// <summary>A node with one label; property values are strings or longs.</summary>
internal sealed record GraphNode(string Label, IReadOnlyDictionary<string, object> Properties);

internal sealed record GraphEdge(GraphNode From, string Type, GraphNode To);

/// <summary>An immutable in-memory property graph; iteration order is insertion order, which keeps results deterministic.</summary>
internal sealed class PropertyGraph(IReadOnlyList<GraphNode> nodes, IReadOnlyList<GraphEdge> edges)
{
    public IReadOnlyList<GraphNode> Nodes { get; } = nodes;
    public IReadOnlyList<GraphEdge> Edges { get; } = edges;
}
