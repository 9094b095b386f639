using Gateway.Proxy.Health;

namespace Gateway.Proxy.RateLimiting;

/// <summary>
/// <c>redis</c> on /ready: Healthy while Redis decides, Degraded while rate limits fail open to per-replica limits
/// (the gateway still serves, so the replica stays in rotation) and while starting until Redis has answered once,
/// Healthy "not configured" without Redis.
/// </summary>
public sealed class RedisReadinessCheck : IReadinessCheck
{
    private readonly RedisRateLimitBackend? _backend;

    /// <param name="backend">Null when no Redis is configured.</param>
    public RedisReadinessCheck(RedisRateLimitBackend? backend) => _backend = backend;

    public string Name => "redis";

    public ValueTask<ReadinessResult> CheckAsync(CancellationToken cancellationToken)
    {
        if (_backend is null)
        {
            return ValueTask.FromResult(ReadinessResult.Healthy("not configured: rate limits are kept per replica in memory"));
        }

        if (_backend.IsAvailable)
        {
            return ValueTask.FromResult(_backend.IsConfirmed
                ? ReadinessResult.Healthy($"connected to {_backend.Connection}")
                : ReadinessResult.Degraded($"connecting to {_backend.Connection}; shared rate limits are not confirmed yet"));
        }

        var since = _backend.OutageStartedAt is { } started ? $" since {started:O}" : string.Empty;
        return ValueTask.FromResult(ReadinessResult.Degraded(
            $"{_backend.Connection} unreachable{since}; rate limits fail open to per-replica in-memory limits until it returns"));
    }
}
