using Gateway.Transforms.RateLimiting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Gateway.Tests.RateLimiting;

[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class FailoverRateLimitStoreTests
{
    private static readonly RateLimitRule Rule = new("tools", RateLimitAlgorithm.SlidingWindow, 10, TimeSpan.FromMinutes(1));
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UnixEpoch.AddYears(60));
    private readonly RecordingLoggerFactory _logs = new();
    private readonly ScriptedStore _primary = new();
    private bool _probeSucceeds;
    private int _probes;

    [Test]
    public async Task LostConnection_FailsOpenToTheLocalLimiterAtOnceAndLogsOneWarning()
    {
        var store = CreateStore();
        var changes = new List<bool>();
        store.AvailabilityChanged += (_, available) => changes.Add(available);
        _primary.Failure = Refused();

        var decisions = new List<RateLimitDecision>();
        for (var i = 0; i < 15; i++)
        {
            decisions.Add(await store.AcquireAsync("client", Rule, CancellationToken.None));
        }

        Assert.That(decisions.Take(10).Select(d => d.Allowed), Is.All.True, "no rejection is caused by the outage itself");
        Assert.That(decisions.Count(d => d.Allowed), Is.EqualTo(10), "the local limiter still bounds traffic");
        Assert.That(store.IsRedisAvailable, Is.False);
        Assert.That(store.OutageCount, Is.EqualTo(1));
        Assert.That(store.FallbackDecisionCount, Is.EqualTo(15));
        Assert.That(_primary.Calls, Is.EqualTo(1), "once down, Redis is not called on the request path");
        Assert.That(changes, Is.EqualTo(new[] { false }));
        var warnings = _logs.Entries.Where(e => e.Level == LogLevel.Warning).ToArray();
        Assert.That(warnings, Has.Length.EqualTo(1));
        Assert.That(warnings[0].Category, Is.EqualTo("mcp_gateway.security"));
        Assert.That(warnings[0].Message, Does.Contain("failing open"));
    }

    [Test]
    public async Task Recovery_ProbesAfterBackoffAndReturnsToRedis()
    {
        var store = CreateStore();
        var recovered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        store.AvailabilityChanged += (_, available) =>
        {
            if (available)
            {
                recovered.TrySetResult();
            }
        };
        _primary.Failure = Refused();
        await store.AcquireAsync("client", Rule, CancellationToken.None);

        await store.AcquireAsync("client", Rule, CancellationToken.None);
        var probesBeforeBackoff = Volatile.Read(ref _probes);
        _primary.Failure = null;
        _probeSucceeds = true;
        _clock.Advance(TimeSpan.FromSeconds(1));
        await store.AcquireAsync("client", Rule, CancellationToken.None);
        await recovered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var afterRecovery = await store.AcquireAsync("client", Rule, CancellationToken.None);

        Assert.That(probesBeforeBackoff, Is.Zero, "no probe before the backoff elapsed");
        Assert.That(store.IsRedisAvailable, Is.True);
        Assert.That(afterRecovery.Limit, Is.EqualTo(ScriptedStore.Limit), "decided by the primary again");
        Assert.That(_logs.Count(LogLevel.Information), Is.EqualTo(1));
    }

    [Test]
    public async Task FailedProbe_StaysOnTheFallbackAndBacksOff()
    {
        var store = CreateStore();
        _primary.Failure = Refused();
        await store.AcquireAsync("client", Rule, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(1));

        await store.AcquireAsync("client", Rule, CancellationToken.None);
        await WaitUntilAsync(() => Volatile.Read(ref _probes) == 1);
        await WaitUntilAsync(() => !store.IsProbing);
        await store.AcquireAsync("client", Rule, CancellationToken.None);

        Assert.That(store.IsRedisAvailable, Is.False);
        Assert.That(Volatile.Read(ref _probes), Is.EqualTo(1), "the next probe waits for a longer backoff");
        Assert.That(_logs.Count(LogLevel.Warning), Is.EqualTo(1));
    }

    [Test]
    public void PrimaryCancellation_PropagatesAndIsNotAnOutage()
    {
        var store = CreateStore();
        _primary.Failure = new OperationCanceledException();

        Assert.That(async () => await store.AcquireAsync("client", Rule, CancellationToken.None), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(store.IsRedisAvailable, Is.True);
    }

    [Test]
    public async Task SingleTimeout_AnswersThatDecisionLocally_ButTheNextGoesToRedis()
    {
        var store = CreateStore();
        _primary.Failure = Timeout();
        var slow = await store.AcquireAsync("client", Rule, CancellationToken.None);
        _primary.Failure = null;

        var next = await store.AcquireAsync("client", Rule, CancellationToken.None);

        Assert.That(slow.Allowed, Is.True, "the slow decision fails open");
        Assert.That(slow.Limit, Is.EqualTo(Rule.PermitLimit), "answered by the local limiter");
        Assert.That(next.Limit, Is.EqualTo(ScriptedStore.Limit), "a slow reply is not an outage: Redis decides the next call");
        Assert.That(store.IsRedisAvailable, Is.True);
        Assert.That(store.OutageCount, Is.Zero);
        Assert.That(_logs.Count(LogLevel.Warning), Is.Zero);
    }

    [Test]
    public async Task TimeoutsInARow_StartAnOutageAtTheThird()
    {
        var store = CreateStore();
        _primary.Failure = Timeout();

        var availability = new List<bool>();
        for (var i = 0; i < 3; i++)
        {
            await store.AcquireAsync("client", Rule, CancellationToken.None);
            availability.Add(store.IsRedisAvailable);
        }

        Assert.That(availability, Is.EqualTo(new[] { true, true, false }));
        Assert.That(store.OutageCount, Is.EqualTo(1));
        Assert.That(_logs.Count(LogLevel.Warning), Is.EqualTo(1));
    }

    [Test]
    public async Task FailuresSeparatedBySuccesses_NeverStartAnOutage()
    {
        var store = CreateStore();

        for (var i = 0; i < 10; i++)
        {
            _primary.Failure = i % 2 == 0 ? Timeout() : null;
            await store.AcquireAsync("client", Rule, CancellationToken.None);
        }

        Assert.That(store.IsRedisAvailable, Is.True);
        Assert.That(store.OutageCount, Is.Zero);
    }

    [Test]
    public async Task ErrorReplies_CountLikeTimeouts()
    {
        var store = CreateStore();
        _primary.Failure = new RedisServerException(RedisErrorKind.Busy, CommandFlags.None, "BUSY Redis is busy running a script");

        await store.AcquireAsync("client", Rule, CancellationToken.None);
        var afterOne = store.IsRedisAvailable;
        await store.AcquireAsync("client", Rule, CancellationToken.None);
        await store.AcquireAsync("client", Rule, CancellationToken.None);

        Assert.That(afterOne, Is.True);
        Assert.That(store.IsRedisAvailable, Is.False);
    }

    private static RedisConnectionException Refused() => new(ConnectionFailureType.UnableToConnect, CommandFlags.None, "refused", null, CommandStatus.Unknown);

    private static RedisTimeoutException Timeout() => new(CommandFlags.None, "Timeout awaiting response", CommandStatus.Sent);

    private FailoverRateLimitStore CreateStore() => new(
        _primary,
        new InMemoryRateLimitStore(timeProvider: _clock),
        _ =>
        {
            Interlocked.Increment(ref _probes);
            return _probeSucceeds ? ValueTask.CompletedTask : ValueTask.FromException(Refused());
        },
        _logs,
        new FailoverRateLimitStoreOptions { ProbeBaseDelay = TimeSpan.FromMilliseconds(500) },
        _clock);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    /// <summary>A primary store that either fails with a chosen exception or allows with a recognisable limit.</summary>
    private sealed class ScriptedStore : IRateLimitStore
    {
        public const int Limit = 999;
        private int _calls;

        public Exception? Failure { get; set; }

        public int Calls => Volatile.Read(ref _calls);

        public ValueTask<RateLimitDecision> AcquireAsync(string partitionKey, RateLimitRule rule, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return Failure is { } failure
                ? ValueTask.FromException<RateLimitDecision>(failure)
                : ValueTask.FromResult(new RateLimitDecision(true, Limit, Limit - 1, DateTimeOffset.UnixEpoch, TimeSpan.Zero));
        }
    }
}
