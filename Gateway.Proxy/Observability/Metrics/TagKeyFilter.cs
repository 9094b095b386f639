using System.Collections.Frozen;

namespace Gateway.Proxy.Observability.Metrics;

/// <summary>The compiled tag-key rules for one meter, checked on every measurement.</summary>
internal sealed class TagKeyFilter
{
    private readonly FrozenSet<string>? _allowed;
    private readonly FrozenSet<string> _denied;

    public TagKeyFilter(ISet<string> globallyDenied, TagKeyPolicy? policy)
    {
        _allowed = policy?.AllowedKeys?.ToFrozenSet(StringComparer.Ordinal);
        var denied = new HashSet<string>(globallyDenied, StringComparer.Ordinal);
        if (policy is not null)
        {
            denied.UnionWith(policy.DeniedKeys);
        }

        _denied = denied.ToFrozenSet(StringComparer.Ordinal);
    }

    public bool Includes(string key) => !_denied.Contains(key) && (_allowed is null || _allowed.Contains(key));
}
