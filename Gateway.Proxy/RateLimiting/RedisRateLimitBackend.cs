using Gateway.Transforms.RateLimiting;

namespace Gateway.Proxy.RateLimiting;

/// <summary>
/// Shared limits in Redis (<c>Gateway:RateLimiting:RedisUrl</c>) that fail open to per-replica in-memory limits with the
/// same policies: the <see cref="FailoverRateLimitStore"/> over a StackExchange.Redis <see cref="RedisConnection"/>, plus what the host
/// needs around it (start-up warm-up, recovery probing without traffic, outage facts for /ready).
/// </summary>
public sealed class RedisRateLimitBackend : IAsyncDisposable
{
    private static readonly RateLimitRule RecoveryRule = new("__recovery__", RateLimitAlgorithm.TokenBucket, 1, TimeSpan.FromSeconds(1));

    private readonly RedisConnection _connection;
    private readonly RedisRateLimitStore _redis;
    private readonly TimeProvider _time;
    private long _outageStartedAtUnixMs;
    private int _confirmed;

    public RedisRateLimitBackend(RateLimitingOptions options, ILoggerFactory loggerFactory, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = timeProvider ?? TimeProvider.System;
        Connection = RedisUrl.Parse(options.RedisUrl ?? string.Empty);
        _connection = new RedisConnection(Connection.ToConfigurationOptions(options.RedisCommandTimeout, options.RedisConnectTimeout));
        _redis = new RedisRateLimitStore(_connection, options.RedisKeyPrefix);
        var failoverOptions = new FailoverRateLimitStoreOptions
        {
            KeyPrefix = options.RedisKeyPrefix,
            ProbeBaseDelay = options.RedisProbeDelay,
            ProbeMaxDelay = options.RedisProbeMaxDelay,
        };
        Store = new FailoverRateLimitStore(
            _redis,
            new InMemoryRateLimitStore(failoverOptions.Fallback, _time),
            ct => new ValueTask(_redis.WarmUpAsync(ct)),
            loggerFactory,
            failoverOptions,
            _time);
        Store.AvailabilityChanged += OnAvailabilityChanged;
    }

    /// <summary>Where decisions go (its <see cref="RedisUrl.ToString"/> never shows the password).</summary>
    public RedisUrl Connection { get; }

    /// <summary>The store the gateway decides with; public so benchmarks can drive it directly.</summary>
    public FailoverRateLimitStore Store { get; }

    public bool IsAvailable => Store.IsRedisAvailable;

    /// <summary>
    /// True once Redis has made a decision (warm-up, check or recovery probe). Until then availability is only presumed:
    /// the failover store starts out trusting Redis.
    /// </summary>
    public bool IsConfirmed => Volatile.Read(ref _confirmed) == 1;

    /// <summary>When the current outage began, or null while Redis answers.</summary>
    public DateTimeOffset? OutageStartedAt =>
        IsAvailable ? null : DateTimeOffset.FromUnixTimeMilliseconds(Interlocked.Read(ref _outageStartedAtUnixMs));

    /// <summary>
    /// Runs both scripts once (after the connect that started with this object), so the server's one-time script costs
    /// (loading them, Garnet starting its Lua engine) are paid outside the request path when start-up allows.
    /// </summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        await _redis.WarmUpAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _confirmed, 1);
    }

    /// <summary>
    /// Makes the failover store notice the current state without a request: while Redis is up this is a real decision
    /// (which starts an outage if it fails); while it is down it lets the store run its next probe when due.
    /// </summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        var outages = Store.OutageCount;
        var askedRedis = Store.IsRedisAvailable;
        await Store.AcquireAsync("check", RecoveryRule, cancellationToken).ConfigureAwait(false);
        if (askedRedis && Store.OutageCount == outages)
        {
            Volatile.Write(ref _confirmed, 1);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Store.AvailabilityChanged -= OnAvailabilityChanged;
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    private void OnAvailabilityChanged(object? sender, bool available)
    {
        if (available)
        {
            Volatile.Write(ref _confirmed, 1);
        }
        else
        {
            Interlocked.Exchange(ref _outageStartedAtUnixMs, _time.GetUtcNow().ToUnixTimeMilliseconds());
        }
    }
}
