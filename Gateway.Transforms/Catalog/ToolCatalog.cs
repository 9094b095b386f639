using System.Collections.Frozen;

namespace Gateway.Transforms.Catalog;

/// <summary>An immutable snapshot of the tools of one routes.json generation.</summary>
public sealed class ToolCatalog
{
    public static readonly ToolCatalog Empty = new([], 0);

    private readonly FrozenDictionary<string, ToolDefinition> _byName;

    public ToolCatalog(IEnumerable<ToolDefinition> tools, long generation)
    {
        Tools = tools.OrderBy(t => t.Name, StringComparer.Ordinal).ToArray();
        _byName = Tools.ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);
        Generation = generation;
    }

    /// <summary>Sorted by name so <c>tools/list</c> is stable across replicas.</summary>
    public IReadOnlyList<ToolDefinition> Tools { get; }

    public long Generation { get; }

    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ToolDefinition? tool)
        => _byName.TryGetValue(name, out tool);
}
