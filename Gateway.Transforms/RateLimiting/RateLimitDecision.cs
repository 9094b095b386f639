namespace Gateway.Transforms.RateLimiting;

/// <summary>
/// The outcome of one acquire. <see cref="Remaining"/> counts permits left after this one; <see cref="ResetAt"/> is when
/// the partition is back to its full quota; <see cref="RetryAfter"/> is how long until the next permit (zero when allowed).
/// </summary>
public readonly record struct RateLimitDecision(bool Allowed, int Limit, int Remaining, DateTimeOffset ResetAt, TimeSpan RetryAfter)
{
    internal static RateLimitDecision FromMilliseconds(bool allowed, int limit, long remaining, long resetAtMs, long retryAfterMs) => new(
        allowed,
        limit,
        (int)Math.Clamp(remaining, 0, limit),
        DateTimeOffset.FromUnixTimeMilliseconds(resetAtMs),
        allowed ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Max(retryAfterMs, 1)));
}
