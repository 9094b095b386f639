namespace Gateway.Proxy.Federation;

/// <summary>
/// Upstream sessions of the gateway's own beside each upstream's shared one, kept per owner (a downstream session, a
/// principal) and upstream: at most a limit of them, each closed once unused for the idle timeout (looked at when one is
/// asked for), and started afresh when routes.json changed its upstream's entry. Each session re-initializes by itself
/// when the upstream restarts, like the shared one.
/// </summary>
internal sealed class UpstreamSessionPool
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Owner, string Server), Entry> _sessions = [];
    private readonly int _limit;
    private readonly TimeSpan _idleTimeout;
    private readonly TimeProvider _time;
    private readonly string _limitSetting;

    public UpstreamSessionPool(int limit, TimeSpan idleTimeout, TimeProvider time, string limitSetting)
    {
        _limit = limit;
        _idleTimeout = idleTimeout;
        _time = time;
        _limitSetting = limitSetting;
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _sessions.Count;
            }
        }
    }

    /// <summary><paramref name="owner"/>'s session with <paramref name="shared"/>'s upstream, started with <paramref name="create"/> when it has none.</summary>
    /// <exception cref="UpstreamUnavailableException">The pool is full.</exception>
    public UpstreamSession Get(string owner, UpstreamSession shared, Func<UpstreamSession> create, out bool created)
    {
        var key = (owner, shared.Upstream.Server);
        var now = _time.GetTimestamp();
        List<UpstreamSession> closed = [];
        try
        {
            lock (_gate)
            {
                created = false;
                if (_sessions.TryGetValue(key, out var entry))
                {
                    if (entry.Session.Upstream.IsSameAs(shared.Upstream))
                    {
                        entry.LastUsed = now;
                        return entry.Session;
                    }

                    _sessions.Remove(key);
                    closed.Add(entry.Session);
                }

                // A session that holds resource subscriptions is in use as long as they are.
                foreach (var (idleKey, idle) in _sessions.Where(s => _time.GetElapsedTime(s.Value.LastUsed, now) > _idleTimeout && !s.Value.Session.HoldsSubscriptions).ToList())
                {
                    _sessions.Remove(idleKey);
                    closed.Add(idle.Session);
                }

                if (_sessions.Count >= _limit)
                {
                    throw new UpstreamUnavailableException(
                        $"the gateway already holds its limit of {_limit} such upstream sessions ({_limitSetting}); retry later");
                }

                var session = create();
                _sessions[key] = new Entry(session) { LastUsed = now };
                created = true;
                return session;
            }
        }
        finally
        {
            foreach (var session in closed)
            {
                _ = session.DisposeAsync().AsTask();
            }
        }
    }

    public bool HasOwner(string owner)
    {
        lock (_gate)
        {
            return _sessions.Keys.Any(k => k.Owner == owner);
        }
    }

    public Task CloseOwnerAsync(string owner) => CloseAsync(k => k.Owner == owner);

    public Task CloseAllAsync() => CloseAsync(_ => true);

    private async Task CloseAsync(Func<(string Owner, string Server), bool> which)
    {
        List<UpstreamSession> closed;
        lock (_gate)
        {
            var keys = _sessions.Keys.Where(which).ToList();
            closed = [.. keys.Select(k => _sessions[k].Session)];
            foreach (var key in keys)
            {
                _sessions.Remove(key);
            }
        }

        foreach (var session in closed)
        {
            await session.DisposeAsync();
        }
    }

    private sealed class Entry(UpstreamSession session)
    {
        public UpstreamSession Session { get; } = session;

        public long LastUsed { get; set; }
    }
}
