using System.Collections.Immutable;

namespace Gateway.Transforms.Catalog;

/// <summary>
/// Holds the current catalog: the REST tools of the routes.json generation that is serving, plus the tools each
/// federated upstream lists. Any change swaps the whole snapshot at once, so a request that read
/// <see cref="Current"/> keeps a consistent view even while a newer one is published.
/// </summary>
public sealed class ToolCatalogHolder
{
    private readonly Lock _gate = new();
    private ToolCatalog _routes = ToolCatalog.Empty;
    private ImmutableSortedDictionary<string, IReadOnlyList<ToolDefinition>> _upstreams =
        ImmutableSortedDictionary.Create<string, IReadOnlyList<ToolDefinition>>(StringComparer.Ordinal);

    private ToolCatalog _current = ToolCatalog.Empty;

    public ToolCatalog Current => Volatile.Read(ref _current);

    /// <summary>Raised after a new catalog is published (e.g. to send <c>notifications/tools/list_changed</c>).</summary>
    public event Action<ToolCatalog>? Changed;

    /// <summary>Publishes the REST tools of a routes.json generation; the upstreams' tools stay.</summary>
    public void Publish(ToolCatalog catalog) => Update(() => _routes = catalog, null);

    /// <summary>
    /// Publishes an upstream's tools in place of its previous ones. Returns the names left out because a REST tool or an
    /// upstream earlier in name order already has them (REST tools always win).
    /// </summary>
    public IReadOnlyList<string> PublishUpstream(string server, IReadOnlyList<ToolDefinition> tools) =>
        Update(() => _upstreams = _upstreams.SetItem(server, tools), server);

    public void RemoveUpstream(string server) => Update(() => _upstreams = _upstreams.Remove(server), null);

    private IReadOnlyList<string> Update(Action change, string? server)
    {
        ToolCatalog composed;
        List<string> dropped;
        lock (_gate)
        {
            change();
            (composed, dropped) = Compose(server);
            Volatile.Write(ref _current, composed);
        }

        Changed?.Invoke(composed);
        return dropped;
    }

    private (ToolCatalog Catalog, List<string> Dropped) Compose(string? server)
    {
        var dropped = new List<string>();
        if (_upstreams.Count == 0)
        {
            return (_routes, dropped);
        }

        var tools = new List<ToolDefinition>(_routes.Tools);
        var names = tools.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (upstream, upstreamTools) in _upstreams)
        {
            foreach (var tool in upstreamTools)
            {
                if (names.Add(tool.Name))
                {
                    tools.Add(tool);
                }
                else if (upstream == server)
                {
                    dropped.Add(tool.Name);
                }
            }
        }

        return (new ToolCatalog(tools, _routes.Generation), dropped);
    }
}
