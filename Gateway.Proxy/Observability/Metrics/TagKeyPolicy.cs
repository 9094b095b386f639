namespace Gateway.Proxy.Observability.Metrics;

/// <summary>
/// Which tag keys of one meter become labels. With <see cref="AllowedKeys"/> set, only those keys pass;
/// <see cref="DeniedKeys"/> are always removed.
/// </summary>
public sealed class TagKeyPolicy
{
    public ISet<string>? AllowedKeys { get; set; }

    public ISet<string> DeniedKeys { get; set; } = new HashSet<string>(StringComparer.Ordinal);
}
