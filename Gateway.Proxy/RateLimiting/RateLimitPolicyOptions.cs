using Gateway.Transforms.RateLimiting;

namespace Gateway.Proxy.RateLimiting;

/// <summary>One named policy (<c>Gateway:RateLimiting:Policies:&lt;name&gt;</c>).</summary>
public sealed class RateLimitPolicyOptions
{
    public RateLimitAlgorithm Algorithm { get; set; } = RateLimitAlgorithm.SlidingWindow;

    /// <summary>Permits per <see cref="Window"/> for callers whose tier has no quota of its own.</summary>
    public int PermitLimit { get; set; }

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>TokenBucket only: bucket size (default <see cref="PermitLimit"/>).</summary>
    public int? BurstLimit { get; set; }

    /// <summary>
    /// What gets its own budget: any of <c>principal</c>, <c>tenant</c>, <c>tier</c>, <c>tool</c>; null means
    /// <c>["principal"]</c>. (Null rather than a default list: the configuration binder appends to existing lists.)
    /// </summary>
    public string[]? PartitionBy { get; set; }

    /// <summary>Quotas by the caller's <c>tier</c> claim, e.g. <c>free</c> and <c>standard</c>.</summary>
    public Dictionary<string, RateLimitTierOptions> Tiers { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
