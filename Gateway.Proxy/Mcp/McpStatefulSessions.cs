using System.Collections.Concurrent;
using Gateway.Proxy.Security.Authorization;
using Gateway.Transforms.Catalog;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Gateway.Proxy.Mcp;

/// <summary>
/// Runs each server the SDK starts (its <c>RunSessionHandler</c>). A stateful session holds the capacity slot
/// <see cref="McpRequestGate"/> granted for its initialize request until the SDK closes it (DELETE, idle timeout,
/// shutdown), and hears <c>notifications/tools/list_changed</c> when routes.json changes the catalog: the SDK only
/// sends that for its own tool collection, and our tools come from handlers.
/// </summary>
public sealed partial class McpStatefulSessions
{
    private const string LeaseItem = "Gateway.McpSessionLease";

    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly CallerIdentityResolver _callers;
    private readonly ILogger<McpStatefulSessions> _logger;

    public McpStatefulSessions(ToolCatalogHolder catalog, CallerIdentityResolver callers, ILogger<McpStatefulSessions> logger)
    {
        _callers = callers;
        _logger = logger;
        catalog.Changed += OnCatalogChanged;
    }

    /// <summary>Raised with a stateful session's id when it ends (DELETE, idle timeout, shutdown).</summary>
    public event Action<string>? Closed;

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
                Closed?.Invoke(id);
            }
        }
    }

    private void OnCatalogChanged(ToolCatalog catalog) => _ = NotifyToolsChangedAsync();

    private async Task NotifyToolsChangedAsync()
    {
        foreach (var (_, (server, _)) in _sessions)
        {
            try
            {
                await server.SendNotificationAsync(NotificationMethods.ToolListChangedNotification);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Log.NotifyFailed(_logger, server.SessionId, ex.Message);
            }
        }
    }

    private sealed record Session(McpServer Server, string? Owner);

    private static partial class Log
    {
        [LoggerMessage(EventId = 301, Level = LogLevel.Debug, Message = "Could not send tools/list_changed to session {SessionId}: {Error}")]
        public static partial void NotifyFailed(ILogger logger, string? sessionId, string error);
    }
}
