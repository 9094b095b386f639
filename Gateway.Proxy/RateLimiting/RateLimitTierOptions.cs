namespace Gateway.Proxy.RateLimiting;

/// <summary>A tier's quota within a policy; unset values are the policy's.</summary>
public sealed class RateLimitTierOptions
{
    public int PermitLimit { get; set; }

    public TimeSpan? Window { get; set; }

    public int? BurstLimit { get; set; }
}
