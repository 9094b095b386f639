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
    private readonly McpStatefulSessions _stateful;
    private readonly UpstreamSessionPool _pool;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DownstreamSession> _downstream = new(StringComparer.Ordinal);

    public ClientBoundSessions(UpstreamTransports transports, IOptions<FederationOptions> options, McpStatefulSessions stateful, ILoggerFactory loggerFactory)
    {
        _transports = transports;
        _options = options.Value;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<ClientBoundSessions>();
        _stateful = stateful;
        _pool = new UpstreamSessionPool(_options.MaxClientBoundSessions, _options.ClientBoundSessionIdleTimeout, TimeProvider.System,
            $"{FederationOptions.SectionName}:MaxClientBoundSessions, upstream sessions for clients' stateful sessions");
        stateful.SessionClosed += id => _ = CloseAsync(id);
    }

    public int Count => _pool.Count;

    /// <summary>The session a call of <paramref name="downstream"/>'s session uses for <paramref name="shared"/>'s upstream.</summary>
    /// <exception cref="UpstreamUnavailableException">The limit of client-bound sessions is reached.</exception>
    public UpstreamSession For(UpstreamSession shared, DownstreamRequest downstream)
    {
        var id = downstream.Server.SessionId!;
        DownstreamSession owner;
        lock (_gate)
        {
            if (!_downstream.TryGetValue(id, out owner!))
            {
                if (_downstream.Count >= _options.MaxClientBoundSessions)
                {
                    // Sessions that never said they ended (legacy SSE) and whose upstream sessions went idle.
                    foreach (var gone in _downstream.Keys.Where(k => !_pool.HasOwner(k)).ToList())
                    {
                        _downstream.Remove(gone);
                    }
                }

                owner = new DownstreamSession(id, downstream.Capabilities!, _stateful.ServerOf(id));
                _downstream[id] = owner;
            }
        }

        try
        {
            var session = _pool.Get(id, shared, () => new UpstreamSession(
                shared.Upstream, _transports, _options, _loggerFactory, UpstreamClientRole.BoundTo(shared.Upstream.Server, owner, _logger)), out var created);
            if (created)
            {
                Log.Opened(_logger, shared.Upstream.Server, id);
            }

            return session;
        }
        catch (UpstreamUnavailableException)
        {
            Log.Full(_logger, shared.Upstream.Server, _options.MaxClientBoundSessions);
            throw;
        }
    }

    /// <summary>Closes the upstream sessions of a downstream session that ended.</summary>
    public Task CloseAsync(string downstreamSessionId)
    {
        lock (_gate)
        {
            _downstream.Remove(downstreamSessionId);
        }

        return _pool.CloseOwnerAsync(downstreamSessionId);
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _downstream.Clear();
        }

        await _pool.CloseAllAsync();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3423, Level = LogLevel.Information, Message = "Upstream '{Server}': own session opened for the stateful downstream session {SessionId} (its client can answer sampling, elicitation or roots)")]
        public static partial void Opened(ILogger logger, string server, string sessionId);

        [LoggerMessage(EventId = 3424, Level = LogLevel.Warning, Message = "Upstream '{Server}': no session for a client's stateful session; the limit of {Limit} client-bound upstream sessions is reached")]
        public static partial void Full(ILogger logger, string server, int limit);
    }
}
