using Gateway.Transforms.RateLimiting;

namespace Gateway.Proxy.RateLimiting;

/// <summary>
/// Rate limiting (section <c>Gateway:RateLimiting</c>). Policies and the default limit apply live when the configuration
/// changes; the Redis settings are read once at start.
/// </summary>
public sealed class RateLimitingOptions
{
    public const string SectionName = "Gateway:RateLimiting";

    /// <summary>
    /// Limit for routes without a <c>RateLimiterPolicy</c> (or with <c>Default</c>): a token bucket of this many requests
    /// per minute per principal per tool. 0 turns the default off.
    /// </summary>
    public int DefaultRequestsPerMinute { get; set; } = 600;

    /// <summary>
    /// Budget for refused requests (unknown tool, malformed request, failed authentication, unknown session...): a token
    /// bucket of this many per minute per principal (client IP when unauthenticated), never more than
    /// <see cref="DefaultRequestsPerMinute"/> when that is on. Beyond it refusals are answered as rate limited. 0 = off.
    /// </summary>
    public int RefusalsPerMinute { get; set; } = 60;

    /// <summary><c>redis://[user:password@]host:port/db</c> or <c>rediss://...</c>; empty keeps limits in process.</summary>
    public string? RedisUrl { get; set; }

    /// <summary>
    /// Longest wait for one rate-limit decision in Redis (StackExchange.Redis <c>asyncTimeout</c>). Beyond it that decision
    /// is answered by the local limiter; only <see cref="FailoverRateLimitStoreOptions.FailuresBeforeOutage"/> failures in
    /// a row (or a lost connection, at once) switch the replica to local limits.
    /// </summary>
    public TimeSpan RedisCommandTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>One connect attempt (TCP, TLS, AUTH); decisions arriving while the replica starts wait at most this long.</summary>
    public TimeSpan RedisConnectTimeout { get; set; } = TimeSpan.FromSeconds(1);

    public string RedisKeyPrefix { get; set; } = RedisRateLimitStore.DefaultKeyPrefix;

    /// <summary>First wait before probing a failed Redis again; doubles with jitter up to <see cref="RedisProbeMaxDelay"/>.</summary>
    public TimeSpan RedisProbeDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan RedisProbeMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Named policies, referenced by routes through YARP's <c>RateLimiterPolicy</c>.</summary>
    public Dictionary<string, RateLimitPolicyOptions> Policies { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
