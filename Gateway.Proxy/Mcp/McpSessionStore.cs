using System.Collections.Concurrent;
using System.Security.Cryptography;
using Gateway.Transforms.Catalog;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;

namespace Gateway.Proxy.Mcp;

/// <summary>
/// Stateful sessions (only when <see cref="McpOptions.Stateful"/>): lookup, idle reaping, and
/// <c>notifications/tools/list_changed</c> to every session when routes.json changes the catalog.
/// </summary>
public sealed partial class McpSessionStore : BackgroundService
{
    private readonly ConcurrentDictionary<string, McpSession> _sessions = new(StringComparer.Ordinal);
    private readonly McpOptions _options;
    private readonly ILogger<McpSessionStore> _logger;

    public McpSessionStore(IOptions<McpOptions> options, ToolCatalogHolder catalog, ILogger<McpSessionStore> logger)
    {
        _options = options.Value;
        _logger = logger;
        catalog.Changed += OnCatalogChanged;
    }

    public int Count => _sessions.Count;

    public static string NewSessionId()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return WebEncoders.Base64UrlEncode(bytes);
    }

    /// <summary>Adds a session whose slot <see cref="McpCapacity"/> already granted.</summary>
    public bool TryAdd(McpSession session) => _sessions.TryAdd(session.Id, session);

    public bool TryGet(string id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out McpSession? session) => _sessions.TryGetValue(id, out session);

    public async ValueTask<bool> RemoveAsync(string id)
    {
        if (!_sessions.TryRemove(id, out var session))
        {
            return false;
        }

        await session.DisposeAsync();
        return true;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        foreach (var id in _sessions.Keys)
        {
            await RemoveAsync(id);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromTicks(Math.Clamp(_options.SessionIdleTimeout.Ticks / 4, TimeSpan.FromSeconds(1).Ticks, TimeSpan.FromSeconds(30).Ticks));
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var (id, session) in _sessions)
                {
                    if (session.IsIdleFor(_options.SessionIdleTimeout))
                    {
                        Log.SessionExpired(_logger, id);
                        await RemoveAsync(id);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void OnCatalogChanged(ToolCatalog catalog) => _ = NotifyToolsChangedAsync();

    private async Task NotifyToolsChangedAsync()
    {
        foreach (var session in _sessions.Values)
        {
            if (session.Server is null)
            {
                continue;
            }

            try
            {
                await session.Server.SendNotificationAsync(NotificationMethods.ToolListChangedNotification, session.Closed);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Log.NotifyFailed(_logger, session.Id, ex.Message);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "MCP session {SessionId} closed after being idle")]
        public static partial void SessionExpired(ILogger logger, string sessionId);

        [LoggerMessage(EventId = 301, Level = LogLevel.Debug, Message = "Could not send tools/list_changed to session {SessionId}: {Error}")]
        public static partial void NotifyFailed(ILogger logger, string sessionId, string error);
    }
}
