namespace DemoBackends;

/// <summary>Fault switches and counters of one backend. Thread-safe; change them while requests are in flight.</summary>
public sealed class BackendFaults
{
    private long _delayTicks;
    private int _forcedStatus;
    private long _requestCount;
    private long _healthCheckCount;
    private int _isDown;

    internal BackendFaults(string name) => Name = name;

    public string Name { get; }

    /// <summary>Added before every endpoint except <c>/health</c>.</summary>
    public TimeSpan Delay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _delayTicks));
        set => Interlocked.Exchange(ref _delayTicks, value < TimeSpan.Zero ? 0 : value.Ticks);
    }

    /// <summary>When set, every endpoint answers with this status and <c>/health</c> answers 503.</summary>
    public int? ForcedStatus
    {
        get => Volatile.Read(ref _forcedStatus) is var status and not 0 ? status : null;
        set => Volatile.Write(ref _forcedStatus, value is null ? 0 : ValidStatus(value.Value));
    }

    /// <summary>True while the backend is stopped by <see cref="DemoBackendHost.StopBackendAsync"/>.</summary>
    public bool IsDown
    {
        get => Volatile.Read(ref _isDown) == 1;
        internal set => Volatile.Write(ref _isDown, value ? 1 : 0);
    }

    /// <summary>Requests that reached the backend, <c>/health</c> excluded.</summary>
    public long RequestCount => Interlocked.Read(ref _requestCount);

    /// <summary>Requests to <c>/health</c>, counted apart so active health checks do not blur <see cref="RequestCount"/>.</summary>
    public long HealthCheckCount => Interlocked.Read(ref _healthCheckCount);

    /// <summary>Clears delay and forced status and zeroes the counters.</summary>
    public void Reset()
    {
        Delay = TimeSpan.Zero;
        ForcedStatus = null;
        Interlocked.Exchange(ref _requestCount, 0);
        Interlocked.Exchange(ref _healthCheckCount, 0);
    }

    internal void CountRequest() => Interlocked.Increment(ref _requestCount);

    internal void CountHealthCheck() => Interlocked.Increment(ref _healthCheckCount);

    private static int ValidStatus(int status) => status is >= 100 and <= 599
        ? status
        : throw new ArgumentOutOfRangeException(nameof(status), status, "A forced status must be an HTTP status code 100..599.");
}
