using Gateway.Proxy.Observability.Metrics;
using StackExchange.Redis;

namespace Gateway.Proxy.RateLimiting;

/// <summary>
/// Warms Redis up at start (so an outage at boot shows on /ready before any request), publishes availability and outage
/// metrics, and keeps the recovery probe going while Redis is down even when no traffic arrives to trigger it.
/// </summary>
public sealed class RedisRateLimitMonitor : BackgroundService
{
    private const int WarmUpAttempts = 10;
    private static readonly TimeSpan WarmUpRetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly RedisRateLimitBackend _backend;
    private readonly GatewayMetrics _metrics;
    private readonly TimeSpan _checkInterval;

    public RedisRateLimitMonitor(RedisRateLimitBackend backend, GatewayMetrics metrics, Microsoft.Extensions.Options.IOptions<RateLimitingOptions> options)
    {
        _backend = backend;
        _metrics = metrics;
        _checkInterval = options.Value.RedisProbeDelay;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _metrics.ObserveRedisAvailable(() => _backend.IsAvailable);
        _metrics.ObserveRedisOutages(() => _backend.Store.OutageCount);
        await WarmUpAsync(stoppingToken);

        // Registers an outage at boot (with its one warning), or confirms Redis is deciding.
        await _backend.CheckAsync(stoppingToken);
        using var timer = new PeriodicTimer(_checkInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (!_backend.IsAvailable)
            {
                await _backend.CheckAsync(stoppingToken);
            }
        }
    }

    private async Task WarmUpAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 1; attempt <= WarmUpAttempts && !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await _backend.WarmUpAsync(stoppingToken);
                return;
            }
            catch (Exception ex) when ((ex is RedisException or TimeoutException) && attempt < WarmUpAttempts)
            {
                // A server's one-time script start-up can outlast the command budget (or look like a stalled
                // connection); the script still completes, so a retry shortly after usually succeeds.
                await Task.Delay(WarmUpRetryDelay, stoppingToken);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                // Unreachable: the check that follows starts the outage (fail open) and the probing.
                return;
            }
        }
    }
}
