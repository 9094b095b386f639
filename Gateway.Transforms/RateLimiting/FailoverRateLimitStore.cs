using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Gateway.Transforms.RateLimiting;

/// <summary>
/// Shared limits from Redis while it answers; during an outage every decision fails OPEN to a per-replica
/// <see cref="InMemoryRateLimitStore"/> with the same rules: a Redis outage never rejects a request, and local limits
/// still bound traffic. An outage is a lost connection (<see cref="RedisConnectionException"/>: with
/// <c>BacklogPolicy.FailFast</c> that is immediate, no wait) or <see cref="FailoverRateLimitStoreOptions.FailuresBeforeOutage"/>
/// failures in a row. A single slow reply (timeout) or error reply is not: that one decision is answered locally and
/// the next goes to Redis again, so a cold-start hiccup cannot switch a replica to per-replica limits. One warning is
/// logged per outage. While down, Redis is only probed (in the background, on a request after a jittered exponential
/// backoff) and decisions return to it as soon as a probe succeeds.
/// </summary>
public sealed partial class FailoverRateLimitStore : IRateLimitStore
{
    public const string LogCategory = "mcp_gateway.security";

    private readonly IRateLimitStore _primary;
    private readonly IRateLimitStore _fallback;
    private readonly Func<CancellationToken, ValueTask> _probe;
    private readonly FailoverRateLimitStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private int _available = 1;
    private int _consecutiveFailures;
    private int _probing;
    private int _failedProbes;
    private long _nextProbeAt;
    private long _outageStartedAt;
    private long _outages;
    private long _fallbackDecisions;

    /// <summary>
    /// Redis via <paramref name="redis"/>, falling back to a new <see cref="InMemoryRateLimitStore"/>. The probe runs both
    /// scripts (<see cref="RedisRateLimitStore.WarmUpAsync"/>), so recovery is declared only when decisions work again.
    /// </summary>
    public FailoverRateLimitStore(
        RedisConnection redis, ILoggerFactory loggerFactory, FailoverRateLimitStoreOptions? options = null, TimeProvider? timeProvider = null)
        : this(
            new RedisRateLimitStore(redis, (options ?? new FailoverRateLimitStoreOptions()).KeyPrefix),
            loggerFactory,
            options ?? new FailoverRateLimitStoreOptions(),
            timeProvider)
    {
    }

    private FailoverRateLimitStore(
        RedisRateLimitStore redis, ILoggerFactory loggerFactory, FailoverRateLimitStoreOptions options, TimeProvider? timeProvider)
        : this(
            redis,
            new InMemoryRateLimitStore(options.Fallback, timeProvider),
            async ct => await redis.WarmUpAsync(ct).ConfigureAwait(false),
            loggerFactory,
            options,
            timeProvider)
    {
    }

    public FailoverRateLimitStore(
        IRateLimitStore primary,
        IRateLimitStore fallback,
        Func<CancellationToken, ValueTask> probe,
        ILoggerFactory loggerFactory,
        FailoverRateLimitStoreOptions? options = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(primary);
        ArgumentNullException.ThrowIfNull(fallback);
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        if ((options?.FailuresBeforeOutage ?? 1) < 1)
        {
            throw new ArgumentException("FailuresBeforeOutage must be at least 1.", nameof(options));
        }

        _primary = primary;
        _fallback = fallback;
        _probe = probe;
        _options = options ?? new FailoverRateLimitStoreOptions();
        _time = timeProvider ?? TimeProvider.System;
        _logger = loggerFactory.CreateLogger(LogCategory);
    }

    /// <summary>Raised with the new value of <see cref="IsRedisAvailable"/> when an outage starts or ends.</summary>
    public event EventHandler<bool>? AvailabilityChanged;

    public bool IsRedisAvailable => Volatile.Read(ref _available) == 1;

    /// <summary>Outages since start (for metrics).</summary>
    public long OutageCount => Interlocked.Read(ref _outages);

    /// <summary>Decisions answered by the local fallback (for metrics).</summary>
    public long FallbackDecisionCount => Interlocked.Read(ref _fallbackDecisions);

    internal bool IsProbing => Volatile.Read(ref _probing) == 1;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<RateLimitDecision> AcquireAsync(string partitionKey, RateLimitRule rule, CancellationToken cancellationToken)
    {
        if (IsRedisAvailable)
        {
            try
            {
                var decision = await _primary.AcquireAsync(partitionKey, rule, cancellationToken).ConfigureAwait(false);
                if (Volatile.Read(ref _consecutiveFailures) != 0)
                {
                    Volatile.Write(ref _consecutiveFailures, 0);
                }

                return decision;
            }
            catch (RedisConnectionException ex)
            {
                BeginOutage(ex);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                OnFailure(ex);
            }
        }
        else
        {
            ProbeIfDue();
        }

        Interlocked.Increment(ref _fallbackDecisions);
        return await _fallback.AcquireAsync(partitionKey, rule, cancellationToken).ConfigureAwait(false);
    }

    private void OnFailure(Exception cause)
    {
        var failures = Interlocked.Increment(ref _consecutiveFailures);
        if (failures >= _options.FailuresBeforeOutage)
        {
            BeginOutage(cause);
        }
        else
        {
            Log.DecisionFailed(_logger, cause.GetType().Name, cause.Message, failures, _options.FailuresBeforeOutage);
        }
    }

    private void BeginOutage(Exception cause)
    {
        if (Interlocked.CompareExchange(ref _available, 0, 1) != 1)
        {
            return;
        }

        var now = _time.GetTimestamp();
        Interlocked.Increment(ref _outages);
        Volatile.Write(ref _failedProbes, 0);
        Volatile.Write(ref _consecutiveFailures, 0);
        Volatile.Write(ref _outageStartedAt, now);
        Volatile.Write(ref _nextProbeAt, now + ToTimestamp(_options.ProbeBaseDelay));
        Log.RedisUnavailable(_logger, cause.GetType().Name, cause.Message, cause);
        AvailabilityChanged?.Invoke(this, false);
    }

    private void ProbeIfDue()
    {
        if (_time.GetTimestamp() < Volatile.Read(ref _nextProbeAt) || Interlocked.CompareExchange(ref _probing, 1, 0) != 0)
        {
            return;
        }

        _ = Task.Run(ProbeAsync);
    }

    private async Task ProbeAsync()
    {
        try
        {
            await _probe(CancellationToken.None).ConfigureAwait(false);
            var outage = _time.GetElapsedTime(Volatile.Read(ref _outageStartedAt));
            Volatile.Write(ref _available, 1);
            Log.RedisRecovered(_logger, outage.TotalSeconds);
            AvailabilityChanged?.Invoke(this, true);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or OperationCanceledException)
        {
            var failures = Interlocked.Increment(ref _failedProbes);
            var delay = Math.Min(
                _options.ProbeMaxDelay.TotalMilliseconds,
                _options.ProbeBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failures, 20)));
            var jittered = TimeSpan.FromMilliseconds((delay / 2) + (Random.Shared.NextDouble() * delay / 2));
            Volatile.Write(ref _nextProbeAt, _time.GetTimestamp() + ToTimestamp(jittered));
        }
        finally
        {
            Volatile.Write(ref _probing, 0);
        }
    }

    private long ToTimestamp(TimeSpan duration) => (long)(duration.TotalSeconds * _time.TimestampFrequency);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, EventName = "RateLimitRedisUnavailable", Level = LogLevel.Warning,
            Message = "Redis rate-limit store unavailable ({FailureKind}: {FailureMessage}); failing open to per-replica in-memory limits until it recovers.")]
        public static partial void RedisUnavailable(ILogger logger, string failureKind, string failureMessage, Exception exception);

        [LoggerMessage(EventId = 2, EventName = "RateLimitRedisRecovered", Level = LogLevel.Information,
            Message = "Redis rate-limit store recovered after {OutageSeconds:F1} s; shared limits are enforced again.")]
        public static partial void RedisRecovered(ILogger logger, double outageSeconds);

        [LoggerMessage(EventId = 3, EventName = "RateLimitRedisDecisionFailed", Level = LogLevel.Information,
            Message = "A Redis rate-limit decision failed ({FailureKind}: {FailureMessage}); answered locally. {Failures} of {FailuresBeforeOutage} failures in a row start an outage.")]
        public static partial void DecisionFailed(ILogger logger, string failureKind, string failureMessage, int failures, int failuresBeforeOutage);
    }
}
