namespace Gateway.Transforms.Catalog;

/// <summary>
/// Holds the current catalog. A reload swaps the whole snapshot at once, so a request that read
/// <see cref="Current"/> keeps a consistent view even while a newer config is published.
/// </summary>
public sealed class ToolCatalogHolder
{
    private ToolCatalog _current = ToolCatalog.Empty;

    public ToolCatalog Current => Volatile.Read(ref _current);

    /// <summary>Raised after a new catalog is published (e.g. to send <c>notifications/tools/list_changed</c>).</summary>
    public event Action<ToolCatalog>? Changed;

    public void Publish(ToolCatalog catalog)
    {
        Volatile.Write(ref _current, catalog);
        Changed?.Invoke(catalog);
    }
}
