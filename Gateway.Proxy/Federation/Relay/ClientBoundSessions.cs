using Gateway.Proxy.Mcp;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Federation.Relay;

/// <summary>
/// Upstream sessions of the gateway's own that belong to one stateful downstream session: created on its first
/// federated call when its client declared sampling, elicitation or roots (capabilities mirrored upstream, the upstream's
/// requests forwarded to that client), closed when the downstream session ends or after
/// <see cref="FederationOptions.ClientBoundSessionIdleTimeout"/> unused, and at most
/// <see cref="FederationOptions.MaxClientBoundSessions"/> at a time.
/// </summary>
public sealed partial class ClientBoundSessions : IAsyncDisposable
{
    private readonly UpstreamTransports _transports;
    private readonly FederationOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger<ClientBoundSessions> _logger;
    private readonly TimeProvider _time;
    private readonly McpStatefulSessions _stateful;
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Session, string Server), Bound> _sessions = [];
    private readonly Dictionary<string, DownstreamSession> _downstream = new(StringComparer.Ordinal);

    public ClientBoundSessions(UpstreamTransports transports, IOptions<FederationOptions> options, McpStatefulSessions stateful, ILoggerFactory loggerFactory, TimeProvider? time = null)
    {
        _transports = transports;
        _options = options.Value;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<ClientBoundSessions>();
        _time = time ?? TimeProvider.System;
        _stateful = stateful;
        stateful.Closed += id => _ = CloseAsync(id);
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

    /// <summary>The session a call of <paramref name="downstream"/>'s session uses for <paramref name="shared"/>'s upstream.</summary>
    /// <exception cref="UpstreamUnavailableException">The limit of client-bound sessions is reached.</exception>
    public UpstreamSession For(UpstreamSession shared, DownstreamRequest downstream)
    {
        var key = (downstream.Server.SessionId!, shared.Upstream.Server);
        var now = _time.GetTimestamp();
        List<UpstreamSession> closed = [];
        try
        {
            lock (_gate)
            {
                if (_sessions.TryGetValue(key, out var bound))
                {
                    if (bound.Session.Upstream.IsSameAs(shared.Upstream))
                    {
                        bound.LastUsed = now;
                        return bound.Session;
                    }

                    // routes.json changed the upstream's entry since: start over with the new one.
                    _sessions.Remove(key);
                    closed.Add(bound.Session);
                }

                foreach (var (idleKey, idle) in _sessions.Where(s => _time.GetElapsedTime(s.Value.LastUsed, now) > _options.ClientBoundSessionIdleTimeout).ToList())
                {
                    _sessions.Remove(idleKey);
                    closed.Add(idle.Session);
                }

                if (closed.Count > 0)
                {
                    foreach (var id in _downstream.Keys.Where(id => !_sessions.Keys.Any(k => k.Session == id)).ToList())
                    {
                        _downstream.Remove(id);
                    }
                }

                if (_sessions.Count >= _options.MaxClientBoundSessions)
                {
                    Log.Full(_logger, shared.Upstream.Server, _options.MaxClientBoundSessions);
                    throw new UpstreamUnavailableException(
                        $"the gateway already holds {_options.MaxClientBoundSessions} upstream sessions for clients' stateful sessions " +
                        $"({FederationOptions.SectionName}:MaxClientBoundSessions); retry later, or close sessions the client no longer uses");
                }

                if (!_downstream.TryGetValue(key.Item1, out var owner))
                {
                    owner = new DownstreamSession(key.Item1, downstream.Capabilities!, _stateful.ServerOf(key.Item1));
                    _downstream[key.Item1] = owner;
                }

                var role = UpstreamClientRole.BoundTo(shared.Upstream.Server, owner, _logger);
                var session = new UpstreamSession(shared.Upstream, _transports, _options, _loggerFactory, role);
                _sessions[key] = new Bound(session) { LastUsed = now };
                Log.Opened(_logger, shared.Upstream.Server, key.Item1);
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

    /// <summary>Closes the upstream sessions of a downstream session that ended.</summary>
    public async Task CloseAsync(string downstreamSessionId)
    {
        List<UpstreamSession> closed;
        lock (_gate)
        {
            _downstream.Remove(downstreamSessionId);
            closed = [.. _sessions.Where(s => s.Key.Session == downstreamSessionId).Select(s => s.Value.Session)];
            foreach (var session in closed)
            {
                _sessions.Remove((downstreamSessionId, session.Upstream.Server));
            }
        }

        foreach (var session in closed)
        {
            await session.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<UpstreamSession> all;
        lock (_gate)
        {
            all = [.. _sessions.Values.Select(b => b.Session)];
            _sessions.Clear();
            _downstream.Clear();
        }

        foreach (var session in all)
        {
            await session.DisposeAsync();
        }
    }

    private sealed class Bound(UpstreamSession session)
    {
        public UpstreamSession Session { get; } = session;

        public long LastUsed { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3423, Level = LogLevel.Information, Message = "Upstream '{Server}': own session opened for the stateful downstream session {SessionId} (its client can answer sampling, elicitation or roots)")]
        public static partial void Opened(ILogger logger, string server, string sessionId);

        [LoggerMessage(EventId = 3424, Level = LogLevel.Warning, Message = "Upstream '{Server}': no session for a client's stateful session; the limit of {Limit} client-bound upstream sessions is reached")]
        public static partial void Full(ILogger logger, string server, int limit);
    }
}
