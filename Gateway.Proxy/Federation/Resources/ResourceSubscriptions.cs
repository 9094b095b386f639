using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Gateway.Proxy.Mcp;
using Microsoft.Extensions.Options;
using Gateway.Transforms.Pipeline;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Gateway.Proxy.Federation.Resources;

/// <summary>
/// <c>resources/subscribe</c> and <c>resources/unsubscribe</c> of the gateway's stateful sessions, and the resource URIs
/// of <c>subscriptions/listen</c> requests (<see cref="IResourceUpdateListener"/>), relayed: the gateway subscribes
/// upstream once per URI however many sessions and listeners want it, relays the upstream's
/// <c>notifications/resources/updated</c> (with the gateway URI) to exactly the subscribers of it, and unsubscribes
/// upstream when the last of them unsubscribes or ends. For an upstream with <c>"SessionScope": "Principal"</c> all of
/// this is per principal: the subscription is made on the principal's own upstream session (the one its calls use), once
/// per principal and URI, and that session's updates go only to that principal's subscribers.
/// </summary>
public sealed partial class ResourceSubscriptions
{
    private readonly UpstreamRequestGuard _guard;
    private readonly UpstreamRegistry _upstreams;
    private readonly FederatedResourceUris _uris;
    private readonly McpStatefulSessions _sessions;
    private readonly McpOptions _options;
    private readonly PrincipalSessions _principals;
    private readonly ILogger<ResourceSubscriptions> _logger;

    // Subscribe and unsubscribe are rare next to calls: one lock keeps the counts and the upstream's state in step.
    // Per URI: each subscribed session and the URI as it subscribed (the verbatim upstream's resources have two forms).
    private readonly SemaphoreSlim _gate = new(1, 1);
    // Subscribers are stateful sessions (by session id) and listen requests (by IResourceUpdateListener.SubscriberId).
    private readonly Dictionary<Key, Dictionary<string, string>> _subscribers = [];
    private readonly ConcurrentDictionary<string, IResourceUpdateListener> _listeners = new(StringComparer.Ordinal);

    // Per-principal subscriptions: the upstream session each is held on, and the sessions whose updates are watched.
    private readonly Dictionary<Key, UpstreamSession> _principalUpstreams = [];
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<UpstreamSession, object> _watched = [];

    public ResourceSubscriptions(
        UpstreamRequestGuard guard, UpstreamRegistry upstreams, FederatedResourceUris uris, McpStatefulSessions sessions, IOptions<McpOptions> options,
        PrincipalSessions principals, ILogger<ResourceSubscriptions> logger)
    {
        _principals = principals;
        _guard = guard;
        _upstreams = upstreams;
        _uris = uris;
        _sessions = sessions;
        _options = options.Value;
        _logger = logger;
        upstreams.ResourceUpdated += OnUpdated;
        upstreams.SessionStarted += session => _ = Task.Run(() => CarryOverAsync(session));
        sessions.SessionClosed += id => _ = ReleaseAsync(id);
    }

    /// <summary>How many downstream sessions and listen requests hold a subscription to the upstream URI (tests, operators).</summary>
    public int SubscriberCount(string server, string upstreamUri)
    {
        _gate.Wait();
        try
        {
            return _subscribers.Where(s => s.Key.Server == server && s.Key.Uri == upstreamUri).Sum(s => s.Value.Count);
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task SubscribeAsync(HttpContext caller, McpServer session, string? uri, CancellationToken cancellationToken) =>
        SubscribeAsync(caller, RequireStatefulSession(session, RequestMethods.ResourcesSubscribe), RequestMethods.ResourcesSubscribe, uri, cancellationToken);

    /// <summary>
    /// Subscribes a <c>subscriptions/listen</c> request to <paramref name="uri"/>, checked and audited (method
    /// <c>subscriptions/listen</c>) exactly as <c>resources/subscribe</c>; its updates go to
    /// <see cref="IResourceUpdateListener.OnResourceUpdated"/> until <see cref="ReleaseAsync(IResourceUpdateListener)"/>.
    /// </summary>
    /// <exception cref="McpProtocolException">Refused with the wording <c>resources/subscribe</c> gets.</exception>
    public Task SubscribeAsync(HttpContext caller, IResourceUpdateListener listener, string? uri, CancellationToken cancellationToken)
    {
        _listeners[listener.SubscriberId] = listener;
        return SubscribeAsync(caller, listener.SubscriberId, RequestMethods.SubscriptionsListen, uri, cancellationToken);
    }

    /// <summary>Ends every subscription of the listen request (its end), unsubscribing upstream from URIs no one else wants.</summary>
    public async Task ReleaseAsync(IResourceUpdateListener listener)
    {
        await ReleaseAsync(listener.SubscriberId);
        _listeners.TryRemove(listener.SubscriberId, out _);
    }

    private async Task SubscribeAsync(HttpContext caller, string subscriberId, string method, string? uri, CancellationToken cancellationToken)
    {
        var key = Parse(uri);
        key = key with { Uri = _guard.UpstreamUriFor(key.Server, key.Uri) };
        var request = new UpstreamRequest(method, key.Server, GatewayResourceUri.RootOf(key.Server), key.Uri,
            $"resource '{CallerText.Echo(uri ?? string.Empty)}'", FederatedArguments.Of(new JsonObject { ["uri"] = key.Uri }));
        await _guard.SendAsync(caller, request, async (upstream, call, ct) =>
        {
            if (!await upstream.SupportsSubscriptionsAsync(ct))
            {
                throw new McpProtocolException(
                    $"upstream MCP server '{key.Server}' does not offer resource subscriptions (it does not declare resources.subscribe); read the resource again instead.",
                    McpErrorCode.InvalidParams);
            }

            // The guard sent it on the session the caller's requests use: the principal's own under Principal scope.
            var owned = key with { Principal = IsPerPrincipal(upstream) ? _principals.KeyFor(caller) : SharedScope };
            await _gate.WaitAsync(ct);
            try
            {
                if (!_subscribers.TryGetValue(owned, out var sessions))
                {
                    // A principal's subscription carries its verified identity, as its calls do; the shared one is everyone's.
                    await upstream.SubscribeAsync(owned.Uri, ct, owned.Principal == SharedScope ? null : call);
                    if (owned.Principal != SharedScope)
                    {
                        Log.PrincipalSubscribed(_logger, owned.Server, owned.Uri);
                    }

                    Hold(owned, upstream);
                    _subscribers[owned] = sessions = new Dictionary<string, string>(StringComparer.Ordinal);
                }

                sessions[subscriberId] = uri!;
            }
            finally
            {
                _gate.Release();
            }

            return true;
        }, cancellationToken);
    }

    public async Task UnsubscribeAsync(McpServer session, string? uri, CancellationToken cancellationToken)
    {
        var sessionId = RequireStatefulSession(session, RequestMethods.ResourcesUnsubscribe);
        var key = Parse(uri);
        key = key with { Uri = _guard.UpstreamUriFor(key.Server, key.Uri) };
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // The session is subscribed under its own principal only (or the shared scope).
            foreach (var owned in _subscribers.Where(s => s.Key.Server == key.Server && s.Key.Uri == key.Uri && s.Value.ContainsKey(sessionId)).Select(s => s.Key).ToArray())
            {
                await RemoveAsync(owned, sessionId);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task ReleaseAsync(string sessionId)
    {
        await _gate.WaitAsync();
        try
        {
            foreach (var key in _subscribers.Where(s => s.Value.ContainsKey(sessionId)).Select(s => s.Key).ToArray())
            {
                await RemoveAsync(key, sessionId);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    // Under _gate. Unsubscribing upstream is best effort: a lost upstream session has no subscriptions left anyway.
    private async Task RemoveAsync(Key key, string sessionId)
    {
        if (!_subscribers.TryGetValue(key, out var sessions) || !sessions.Remove(sessionId) || sessions.Count > 0)
        {
            return;
        }

        _subscribers.Remove(key);
        UpstreamSession? upstream;
        if (key.Principal == SharedScope ? !_upstreams.TryGetSession(key.Server, out upstream) : !_principalUpstreams.Remove(key, out upstream))
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await upstream.UnsubscribeAsync(key.Uri, timeout.Token);
            if (key.Principal != SharedScope)
            {
                Log.PrincipalUnsubscribed(_logger, key.Server, key.Uri);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.UnsubscribeFailed(_logger, key.Server, key.Uri, ex.Message);
        }
    }

    /// <summary>
    /// A reload that replaced an upstream's session: the URIs sessions still want are subscribed on the new one (a
    /// principal's on that principal's session, started afresh for the new entry).
    /// </summary>
    private async Task CarryOverAsync(UpstreamSession upstream)
    {
        await _gate.WaitAsync();
        try
        {
            foreach (var key in _subscribers.Keys.Where(k => k.Server == upstream.Upstream.Server && upstream.Upstream.ResourceFilter.AllowsUri(k.Uri)).ToArray())
            {
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    // A reload may also have changed the scope: a principal's subscription then lives on the shared session.
                    var target = key.Principal == SharedScope || !IsPerPrincipal(upstream) ? upstream : _principals.For(upstream, key.Principal);
                    await target.SubscribeAsync(key.Uri, timeout.Token);
                    Hold(key, target);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    Log.CarryOverFailed(_logger, key.Server, key.Uri, ex.Message);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    // A URI the upstream's Resources lists leave out (since a reload, say) is not relayed, whoever subscribed to it.
    private void OnUpdated(string server, string upstreamUri) => OnUpdated(new Key(server, upstreamUri));

    private void OnUpdated(Key key)
    {
        if (_guard.Federates(key.Server, key.Uri))
        {
            _ = RelayAsync(key);
        }
    }

    private static bool IsPerPrincipal(UpstreamSession upstream) =>
        upstream.Upstream.Declaration.SessionScope == Gateway.Transforms.Federation.UpstreamSessionScope.Principal && !upstream.RunsProcess;

    // Under _gate. A principal's subscription: remembered with the session it is held on, whose updates of the URI go
    // to that principal's subscribers.
    private void Hold(Key key, UpstreamSession upstream)
    {
        if (key.Principal == SharedScope)
        {
            return;
        }

        _principalUpstreams[key] = upstream;
        if (_watched.TryAdd(upstream, key))
        {
            upstream.ResourceUpdated += uri => _ = RelayHeldOnAsync(upstream, uri);
        }
    }

    private async Task RelayHeldOnAsync(UpstreamSession upstream, string upstreamUri)
    {
        Key[] keys;
        await _gate.WaitAsync();
        try
        {
            keys = [.. _principalUpstreams.Where(h => ReferenceEquals(h.Value, upstream) && h.Key.Uri == upstreamUri).Select(h => h.Key)];
        }
        finally
        {
            _gate.Release();
        }

        foreach (var key in keys)
        {
            OnUpdated(key);
        }
    }

    private async Task RelayAsync(Key key)
    {
        KeyValuePair<string, string>[] sessions;
        await _gate.WaitAsync();
        try
        {
            sessions = _subscribers.TryGetValue(key, out var subscribed) ? subscribed.ToArray() : [];
        }
        finally
        {
            _gate.Release();
        }

        foreach (var (sessionId, subscribedUri) in sessions)
        {
            if (_listeners.TryGetValue(sessionId, out var listener))
            {
                listener.OnResourceUpdated(subscribedUri);
                continue;
            }

            if (!_sessions.TryGetServer(sessionId, out var session))
            {
                continue;
            }

            var notification = new ResourceUpdatedNotificationParams { Uri = subscribedUri };
            try
            {
                await session.SendNotificationAsync(NotificationMethods.ResourceUpdatedNotification, notification);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Log.RelayFailed(_logger, notification.Uri, sessionId, ex.Message);
            }
        }
    }

    private string RequireStatefulSession(McpServer session, string method)
    {
        if (!_options.Stateful)
        {
            throw new McpProtocolException(
                $"{method} needs a stateful MCP session, and this gateway runs stateless: the operator can enable sessions with Gateway:Mcp:Stateful=true (environment MCP_GATEWAY_MCP_STATEFUL=true). Until then, read the resource again to see changes.",
                McpErrorCode.InvalidRequest);
        }

        if (!_sessions.IsOpen(session.SessionId))
        {
            throw new McpProtocolException(
                $"{method} needs a Streamable HTTP session (initialize on /mcp, then send Mcp-Session-Id); legacy HTTP+SSE connections get no resource updates.",
                McpErrorCode.InvalidRequest);
        }

        return session.SessionId!;
    }

    private Key Parse(string? uri) =>
        _uris.TryResolve(uri, out var server, out var upstreamUri)
            ? new Key(server, upstreamUri)
            : throw _uris.Unknown(uri);

    // The shared session's subscriptions; a principal's are kept under its PrincipalSessions key.
    private const string SharedScope = "";

    private readonly record struct Key(string Server, string Uri, string Principal = SharedScope);

    private static partial class Log
    {
        [LoggerMessage(EventId = 3490, Level = LogLevel.Information, Message = "Upstream '{Server}': subscribed to '{Uri}' on a principal's own session (SessionScope Principal); its updates go to that principal's sessions only")]
        public static partial void PrincipalSubscribed(ILogger logger, string server, string uri);

        [LoggerMessage(EventId = 3491, Level = LogLevel.Information, Message = "Upstream '{Server}': unsubscribed from '{Uri}' on a principal's own session; the principal's last session subscribed to it left")]
        public static partial void PrincipalUnsubscribed(ILogger logger, string server, string uri);

        [LoggerMessage(EventId = 3434, Level = LogLevel.Debug, Message = "Could not relay the update of '{Uri}' to session {SessionId}: {Error}")]
        public static partial void RelayFailed(ILogger logger, string uri, string? sessionId, string error);

        [LoggerMessage(EventId = 3436, Level = LogLevel.Warning, Message = "Upstream '{Server}': its entry changed and the subscription to '{Uri}' could not be made on the new session ({Error}); clients subscribed to it hear no updates until they subscribe again")]
        public static partial void CarryOverFailed(ILogger logger, string server, string uri, string error);

        [LoggerMessage(EventId = 3435, Level = LogLevel.Information, Message = "Upstream '{Server}': could not unsubscribe from '{Uri}' ({Error}); its updates are dropped as no session wants them")]
        public static partial void UnsubscribeFailed(ILogger logger, string server, string uri, string error);
    }
}
