using System.Diagnostics;

namespace Gateway.Redis.Connections;

/// <summary>
/// Backoff shared by all pooled connections to one server: once a connect fails, no connection retries until a
/// jittered, capped exponential delay has passed, so a dead server costs callers a fast failure instead of a connect each.
/// </summary>
internal sealed class ReconnectGate
{
    private readonly RedisConnectionOptions _options;
    private readonly Lock _sync = new();
    private Exception? _lastFailure;
    private long _retryAt;
    private int _consecutiveFailures;

    public ReconnectGate(RedisConnectionOptions options) => _options = options;

    public bool IsBackingOff
    {
        get
        {
            lock (_sync)
            {
                return _retryAt > Stopwatch.GetTimestamp();
            }
        }
    }

    /// <exception cref="RedisConnectionException">A recent connect failed and the backoff has not elapsed.</exception>
    public void ThrowIfBackingOff()
    {
        lock (_sync)
        {
            var wait = _retryAt - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                throw new RedisConnectionException(
                    $"Redis at {_options.Host}:{_options.Port} is unavailable ({_lastFailure?.Message}); " +
                    $"the next reconnect attempt is in {Ticks.ToTimeSpan(wait).TotalMilliseconds:F0} ms.",
                    _lastFailure);
            }
        }
    }

    public void RecordFailure(Exception failure)
    {
        lock (_sync)
        {
            _consecutiveFailures++;
            _lastFailure = failure;
            _retryAt = Stopwatch.GetTimestamp() + Ticks.From(
                ReconnectBackoff.Delay(_consecutiveFailures, _options.ReconnectBaseDelay, _options.ReconnectMaxDelay));
        }
    }

    public void RecordSuccess()
    {
        lock (_sync)
        {
            _consecutiveFailures = 0;
            _retryAt = 0;
        }
    }
}
