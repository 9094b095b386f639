using System.Globalization;
using Gateway.Transforms.RateLimiting;

namespace Gateway.Proxy.RateLimiting;

/// <summary>
/// The response headers describing one decision: the widespread <c>X-RateLimit-*</c> trio (reset in epoch seconds) and
/// the IETF draft's structured fields (draft-ietf-httpapi-ratelimit-headers-08+):
/// <c>RateLimit-Policy: "name";q=600;w=60</c> and <c>RateLimit: "name";r=599;t=42</c>.
/// </summary>
public static class RateLimitHeaders
{
    public const string Limit = "X-RateLimit-Limit";
    public const string Remaining = "X-RateLimit-Remaining";
    public const string Reset = "X-RateLimit-Reset";
    public const string Policy = "RateLimit-Policy";
    public const string State = "RateLimit";
    public const string RetryAfter = "Retry-After";

    /// <summary>The five headers of a decision (without Retry-After).</summary>
    public static KeyValuePair<string, string>[] For(RateLimitQuota quota, in RateLimitDecision decision, DateTimeOffset now)
    {
        var remaining = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        var secondsToReset = Math.Max(0, CeilingSeconds(decision.ResetAt - now));
        return
        [
            new(Limit, quota.LimitText),
            new(Remaining, remaining),
            new(Reset, CeilingSeconds(decision.ResetAt - DateTimeOffset.UnixEpoch).ToString(CultureInfo.InvariantCulture)),
            new(Policy, quota.PolicyHeaderValue),
            new(State, string.Create(CultureInfo.InvariantCulture, $"{quota.QuotedPolicyName};r={remaining};t={secondsToReset}")),
        ];
    }

    /// <summary>Whole seconds to wait before retrying; at least 1, so clients never retry in a busy loop.</summary>
    public static long RetryAfterSeconds(in RateLimitDecision decision) => Math.Max(1, CeilingSeconds(decision.RetryAfter));

    private static long CeilingSeconds(TimeSpan duration) => (long)Math.Ceiling(duration.TotalSeconds);
}
