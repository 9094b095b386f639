using System.Collections.Concurrent;
using Gateway.Proxy.Federation.Resources;
using Gateway.Proxy.Security.Authorization;
using Gateway.Transforms.Catalog;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Gateway.Proxy.Mcp;

/// <summary>
/// Runs each server the SDK starts (its <c>RunSessionHandler</c>). A stateful session holds the capacity slot
/// <see cref="McpRequestGate"/> granted for its initialize request until the SDK closes it (DELETE, idle timeout,
/// shutdown), and hears <c>notifications/tools/list_changed</c> when routes.json changes the catalog (and the
/// resources and prompts list_changed when an upstream's change): the SDK only sends those for its own collections,
/// and ours come from handlers.
/// </summary>
public sealed partial class McpStatefulSessions
{
    private const string LeaseItem = "Gateway.McpSessionLease";

    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly CallerIdentityResolver _callers;
    private readonly ILogger<McpStatefulSessions> _logger;

    public McpStatefulSessions(ToolCatalogHolder catalog, FederatedPrimitiveCatalog primitives, CallerIdentityResolver callers, ILogger<McpStatefulSessions> logger)
    {
        _callers = callers;
        _logger = logger;
        catalog.Changed += OnCatalogChanged;
        primitives.Changed += OnPrimitivesChanged;
    }

    /// <summary>Raised with the session id when a stateful session ends (its resource subscriptions end with it).</summary>
    public event Action<string>? SessionClosed;

    /// <summary>Whether <paramref name="sessionId"/> is a stateful Streamable HTTP session open here.</summary>
    public bool IsOpen(string? sessionId) => sessionId is not null && _sessions.ContainsKey(sessionId);

    /// <summary>
    /// The session's own server, to send it notifications that belong to no request (a handler's <c>request.Server</c>
    /// is bound to that request's response stream).
    /// </summary>
    public bool TryGetServer(string sessionId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out McpServer? server)
    {
        server = _sessions.TryGetValue(sessionId, out var session) ? session.Server : null;
        return server is not null;
    }

    /// <summary>
    /// Whether <paramref name="context"/>'s caller may use session <paramref name="sessionId"/>: its owner by the
    /// configured subject claim (the SDK compares only <c>sub</c>/NameIdentifier/UPN), or a session not open here.
    /// </summary>
    public bool MayUse(HttpContext context, string sessionId) =>
        !_sessions.TryGetValue(sessionId, out var session)
        || string.Equals(session.Owner, _callers.Resolve(context.User).PrincipalKey, StringComparison.Ordinal);

    /// <summary>The session's own server (what it sends outside a request goes on the client's GET stream).</summary>
    public McpServer? ServerOf(string sessionId) => _sessions.TryGetValue(sessionId, out var session) ? session.Server : null;

    /// <summary>Hands the slot granted for this initialize request to the session the SDK is about to start.</summary>
    public static void Offer(HttpContext context, McpCapacityLease lease) => context.Items[LeaseItem] = lease;

    /// <summary>Frees a slot no session took (the SDK refused the request before starting one).</summary>
    public static void ReleaseUnclaimed(HttpContext context)
    {
        if (context.Items.Remove(LeaseItem, out var lease))
        {
            (lease as IDisposable)?.Dispose();
        }
    }

    public async Task RunAsync(HttpContext context, McpServer server, CancellationToken sessionClosed)
    {
        // Taken before the first await: the SDK calls this while it still handles the initialize request.
        if (!context.Items.Remove(LeaseItem, out var item) || item is not McpCapacityLease lease)
        {
            await server.RunAsync(sessionClosed);
            return;
        }

        using (lease)
        {
            var id = server.SessionId ?? string.Empty;
            _sessions[id] = new Session(server, _callers.Resolve(context.User).PrincipalKey);
            try
            {
                await server.RunAsync(sessionClosed);
            }
            finally
            {
                _sessions.TryRemove(id, out _);
                SessionClosed?.Invoke(id);
            }
        }
    }

    private void OnCatalogChanged(ToolCatalog catalog) => _ = NotifyAsync(NotificationMethods.ToolListChangedNotification);

    private void OnPrimitivesChanged(FederatedListChange change)
    {
        if (change.HasFlag(FederatedListChange.Resources))
        {
            _ = NotifyAsync(NotificationMethods.ResourceListChangedNotification);
        }

        if (change.HasFlag(FederatedListChange.Prompts))
        {
            _ = NotifyAsync(NotificationMethods.PromptListChangedNotification);
        }
    }

    private async Task NotifyAsync(string method)
    {
        foreach (var (_, (server, _)) in _sessions)
        {
            try
            {
                await server.SendNotificationAsync(method);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Log.NotifyFailed(_logger, method, server.SessionId, ex.Message);
            }
        }
    }

    private sealed record Session(McpServer Server, string? Owner);

    private static partial class Log
    {
        [LoggerMessage(EventId = 301, Level = LogLevel.Debug, Message = "Could not send {Method} to session {SessionId}: {Error}")]
        public static partial void NotifyFailed(ILogger logger, string method, string? sessionId, string error);
    }
}
