using System.Collections.Frozen;

namespace Gateway.Transforms.Catalog;

/// <summary>An immutable snapshot of the tools: the REST tools of one routes.json generation and the federated upstreams' tools.</summary>
public sealed class ToolCatalog
{
    public static readonly ToolCatalog Empty = new([], 0);

    private readonly FrozenDictionary<string, ToolDefinition> _byName;
    private readonly FrozenDictionary<(string Server, string Tool), ToolDefinition> _byUpstreamName;

    public ToolCatalog(IEnumerable<ToolDefinition> tools, long generation)
    {
        Tools = tools.OrderBy(t => t.Name, StringComparer.Ordinal).ToArray();
        _byName = Tools.ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);
        _byUpstreamName = Tools.Where(t => t.Upstream is not null).ToFrozenDictionary(t => (t.Upstream!.Server, t.Upstream.ToolName));
        Generation = generation;
    }

    /// <summary>Sorted by name so <c>tools/list</c> is stable across replicas.</summary>
    public IReadOnlyList<ToolDefinition> Tools { get; }

    public long Generation { get; }

    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ToolDefinition? tool)
        => _byName.TryGetValue(name, out tool);

    /// <summary>A federated tool by its upstream server and its name there (<c>{"server":"everything","tool":"echo"}</c>).</summary>
    public bool TryGetUpstreamTool(string server, string upstreamToolName, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ToolDefinition? tool)
        => _byUpstreamName.TryGetValue((server, upstreamToolName), out tool);
}
