using System.Collections.Frozen;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Security.Authorization;

/// <summary>The configured tiers, lowest first (<c>Gateway:Auth:Tiers</c>; default free &lt; standard &lt; premium &lt; enterprise).</summary>
public sealed class TierOrder
{
    private readonly FrozenDictionary<string, int> _ranks;

    public TierOrder(IOptions<SecurityOptions> options)
        : this(options.Value.EffectiveTiers)
    {
    }

    public TierOrder(IReadOnlyList<string> tiers)
    {
        Names = tiers;
        var ranks = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < tiers.Count; i++)
        {
            ranks.TryAdd(tiers[i], i);
        }

        _ranks = ranks.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<string> Names { get; }

    /// <summary>The tier's position, or -1 for an unknown or missing tier (which then meets no minimum).</summary>
    public int RankOf(string? tier) => tier is not null && _ranks.TryGetValue(tier, out var rank) ? rank : -1;
}
