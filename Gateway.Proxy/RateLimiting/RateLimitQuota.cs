using System.Globalization;
using Gateway.Transforms.RateLimiting;

namespace Gateway.Proxy.RateLimiting;

/// <summary>
/// A rule as applied to one caller, with the header texts that never change for it computed once
/// (<c>RateLimit-Policy: "name";q=600;w=60</c>, the IETF draft's structured-field form).
/// </summary>
public sealed class RateLimitQuota
{
    internal RateLimitQuota(string policyName, RateLimitRule rule)
    {
        PolicyName = policyName;
        Rule = rule;
        Limit = rule.Algorithm == RateLimitAlgorithm.TokenBucket ? rule.BurstLimit ?? rule.PermitLimit : rule.PermitLimit;
        WindowSeconds = (long)Math.Ceiling(rule.Window.TotalSeconds);
        QuotedPolicyName = string.Concat("\"", policyName, "\"");
        LimitText = Limit.ToString(CultureInfo.InvariantCulture);
        PolicyHeaderValue = string.Create(CultureInfo.InvariantCulture, $"{QuotedPolicyName};q={Limit};w={WindowSeconds}");
    }

    public string PolicyName { get; }

    public RateLimitRule Rule { get; }

    /// <summary>Permits available when idle: the bucket size for TokenBucket, PermitLimit for SlidingWindow.</summary>
    public int Limit { get; }

    public long WindowSeconds { get; }

    /// <summary>The policy name as a structured-field string (policy names are restricted to characters that need no escaping).</summary>
    internal string QuotedPolicyName { get; }

    internal string LimitText { get; }

    internal string PolicyHeaderValue { get; }
}
