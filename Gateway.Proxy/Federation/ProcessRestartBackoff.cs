namespace Gateway.Proxy.Federation;

/// <summary>
/// When a Stdio upstream's process may be started again after it exited: 1 s after the first exit, doubling with each
/// exit that follows quickly (or failed start), up to a minute; a process that ran for a minute starts the count afresh.
/// Until then calls fail fast instead of starting a crashing process once per call.
/// </summary>
internal sealed class ProcessRestartBackoff(TimeProvider time)
{
    private static readonly TimeSpan s_first = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_longest = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private int _exits;
    private DateTimeOffset _notBefore = DateTimeOffset.MinValue;

    /// <summary>How long until a start is allowed again; zero when it is.</summary>
    public TimeSpan Remaining
    {
        get
        {
            lock (_gate)
            {
                var left = _notBefore - time.GetUtcNow();
                return left > TimeSpan.Zero ? left : TimeSpan.Zero;
            }
        }
    }

    /// <summary>Records an exit (or a failed start) of a process that ran for <paramref name="ran"/>; returns the wait before the next start.</summary>
    public TimeSpan RecordExit(TimeSpan ran)
    {
        lock (_gate)
        {
            _exits = ran >= s_longest ? 1 : _exits + 1;
            var delay = TimeSpan.FromTicks(Math.Min(s_longest.Ticks, s_first.Ticks << Math.Min(_exits - 1, 16)));
            _notBefore = time.GetUtcNow() + delay;
            return delay;
        }
    }
}
