using Gateway.Proxy.Security.Authorization;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Federation;

/// <summary>
/// For upstreams declared with <c>"SessionScope": "Principal"</c>: one upstream session per verified principal (subject
/// and tenant; anonymous callers share one), opened on the principal's first call, closed after
/// <see cref="FederationOptions.PrincipalSessionIdleTimeout"/> unused (not while it holds resource subscriptions), at most
/// <see cref="FederationOptions.MaxPrincipalSessions"/> at a time. The catalog still comes from the shared session.
/// </summary>
public sealed partial class PrincipalSessions : IAsyncDisposable
{
    private const string AnonymousKey = "anonymous";

    private readonly UpstreamTransports _transports;
    private readonly FederationOptions _options;
    private readonly CallerIdentityResolver _callers;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger<PrincipalSessions> _logger;
    private readonly UpstreamSessionPool _pool;

    public PrincipalSessions(UpstreamTransports transports, IOptions<FederationOptions> options, CallerIdentityResolver callers, ILoggerFactory loggerFactory)
    {
        _transports = transports;
        _options = options.Value;
        _callers = callers;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<PrincipalSessions>();
        _pool = new UpstreamSessionPool(_options.MaxPrincipalSessions, _options.PrincipalSessionIdleTimeout, TimeProvider.System,
            $"{FederationOptions.SectionName}:MaxPrincipalSessions, upstream sessions for principals");
    }

    public int Count => _pool.Count;

    /// <summary>The session <paramref name="caller"/>'s principal uses for <paramref name="shared"/>'s upstream.</summary>
    /// <exception cref="UpstreamUnavailableException">The limit of per-principal sessions is reached.</exception>
    public UpstreamSession For(UpstreamSession shared, HttpContext caller) => For(shared, KeyFor(caller));

    /// <summary>The session the principal <paramref name="principal"/> (a <see cref="KeyFor"/> value) uses for <paramref name="shared"/>'s upstream.</summary>
    /// <exception cref="UpstreamUnavailableException">The limit of per-principal sessions is reached.</exception>
    public UpstreamSession For(UpstreamSession shared, string principal)
    {
        var key = principal;
        try
        {
            var session = _pool.Get(key, shared, () => new UpstreamSession(shared.Upstream, _transports, _options, _loggerFactory), out var created);
            if (created)
            {
                Log.Opened(_logger, shared.Upstream.Server);
            }

            return session;
        }
        catch (UpstreamUnavailableException)
        {
            Log.Full(_logger, shared.Upstream.Server, _options.MaxPrincipalSessions);
            throw;
        }
    }

    /// <summary>Who <paramref name="caller"/> is, as its sessions are kept: subject and tenant, or anonymous.</summary>
    public string KeyFor(HttpContext caller) => KeyOf(_callers.Resolve(caller.User));

    public async ValueTask DisposeAsync() => await _pool.CloseAllAsync();

    // The tenant is part of who asks: one subject in two tenants is two principals.
    private static string KeyOf(CallerIdentity identity) =>
        identity.PrincipalKey is { } principal ? principal + "\ntenant:" + identity.Tenant : AnonymousKey;

    private static partial class Log
    {
        [LoggerMessage(EventId = 3425, Level = LogLevel.Information, Message = "Upstream '{Server}': session opened for one more principal (SessionScope Principal)")]
        public static partial void Opened(ILogger logger, string server);

        [LoggerMessage(EventId = 3426, Level = LogLevel.Warning, Message = "Upstream '{Server}': no session for a new principal; the limit of {Limit} per-principal upstream sessions is reached")]
        public static partial void Full(ILogger logger, string server, int limit);
    }
}
