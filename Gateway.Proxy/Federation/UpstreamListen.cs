using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Gateway.Proxy.Federation;

/// <summary>
/// Resource subscriptions on an upstream spoken to in 2026-07-28 (no session, no <c>resources/subscribe</c>): one
/// <c>subscriptions/listen</c> request held there naming every URI the gateway is subscribed to, replaced by a new one
/// whenever that set changes, and opened again when the upstream ends it. Its <c>notifications/resources/updated</c>
/// reach the client's notification handlers like a session's.
/// </summary>
internal sealed partial class UpstreamListen
{
    private static readonly TimeSpan s_firstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_lastRetry = TimeSpan.FromSeconds(30);

    private readonly string _server;
    private readonly Func<CancellationToken, Task<McpClient>> _connect;
    private readonly Func<IReadOnlyCollection<string>> _wanted;
    private readonly CancellationToken _stopping;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private CancellationTokenSource? _current;
    private long _requests;

    /// <param name="wanted">The URIs the gateway is subscribed to now.</param>
    /// <param name="stopping">The upstream session's end, which ends the listen request too.</param>
    public UpstreamListen(string server, Func<CancellationToken, Task<McpClient>> connect, Func<IReadOnlyCollection<string>> wanted, CancellationToken stopping, ILogger logger)
    {
        _server = server;
        _connect = connect;
        _wanted = wanted;
        _stopping = stopping;
        _logger = logger;
    }

    /// <summary>Replaces the listen request by one for <see cref="_wanted"/> (none when empty), once the upstream acknowledged it.</summary>
    /// <exception cref="McpException">The upstream refused it, or left some of the URIs out of its acknowledgement.</exception>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await ReplaceAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    // Under _gate. The new request is acknowledged before the one it replaces ends, so no update falls between them;
    // if it is refused, the one before stays.
    private async Task ReplaceAsync(CancellationToken cancellationToken)
    {
        var uris = _wanted().ToArray();
        if (uris.Length == 0)
        {
            await EndCurrentAsync();
            return;
        }

        var client = await _connect(cancellationToken);
        var id = $"mcp-gateway-listen-{Interlocked.Increment(ref _requests)}";
        var acknowledged = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var onAcknowledged = client.RegisterNotificationHandler(NotificationMethods.SubscriptionsAcknowledgedNotification, (notification, _) =>
        {
            if (notification.Params?["_meta"]?[MetaKeys.SubscriptionId] is JsonValue tag && tag.TryGetValue<string>(out var value) && value == id)
            {
                acknowledged.TrySetResult(notification.Params?["notifications"]);
            }

            return ValueTask.CompletedTask;
        });

        var listen = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
        var request = new JsonRpcRequest
        {
            Id = new RequestId(id),
            Method = RequestMethods.SubscriptionsListen,
            Params = new JsonObject
            {
                ["notifications"] = new JsonObject { ["resourceSubscriptions"] = new JsonArray(uris.Select(u => (JsonNode?)JsonValue.Create(u)).ToArray()) },
            },
        };
        var running = client.SendRequestAsync(request, listen.Token);
        try
        {
            if (await Task.WhenAny(acknowledged.Task, running).WaitAsync(cancellationToken) == running)
            {
                await running;
                throw new McpException($"upstream MCP server '{_server}' ended subscriptions/listen before acknowledging it; read the resource again instead.");
            }

            var granted = ((await acknowledged.Task)?["resourceSubscriptions"] as JsonArray)?.Select(u => (string?)u).ToHashSet(StringComparer.Ordinal) ?? [];
            if (uris.Where(u => !granted.Contains(u)).ToArray() is { Length: > 0 } refused)
            {
                throw new McpProtocolException(
                    $"upstream MCP server '{_server}' did not grant resource subscriptions to {string.Join(", ", refused.Select(u => $"'{u}'"))}; read the resource again instead.",
                    McpErrorCode.InvalidParams);
            }
        }
        catch
        {
            await listen.CancelAsync();
            listen.Dispose();
            _ = running.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
            throw;
        }

        await EndCurrentAsync();
        _current = listen;
        Log.Opened(_logger, _server, uris.Length);
        _ = WatchAsync(running, listen);
    }

    private async Task EndCurrentAsync()
    {
        if (_current is { } previous)
        {
            _current = null;
            await previous.CancelAsync();
            previous.Dispose();
        }
    }

    /// <summary>An upstream that ends the request (a restart, say) gets a new one, retried with a growing pause.</summary>
    private async Task WatchAsync(Task<JsonRpcResponse> running, CancellationTokenSource listen)
    {
        try
        {
            await running;
        }
        catch (Exception) when (listen.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.Ended(_logger, _server, ex.Message);
        }

        for (var pause = s_firstRetry; !_stopping.IsCancellationRequested; pause = pause * 2 > s_lastRetry ? s_lastRetry : pause * 2)
        {
            try
            {
                await Task.Delay(pause, _stopping);
                await _gate.WaitAsync(_stopping);
                try
                {
                    if (!ReferenceEquals(_current, listen))
                    {
                        return;
                    }

                    await ReplaceAsync(_stopping);
                    return;
                }
                finally
                {
                    _gate.Release();
                }
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Log.ReopenFailed(_logger, _server, ex.Message);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3483, Level = LogLevel.Debug, Message = "Upstream '{Server}': subscriptions/listen held for {Uris} resource URIs")]
        public static partial void Opened(ILogger logger, string server, int uris);

        [LoggerMessage(EventId = 3484, Level = LogLevel.Warning, Message = "Upstream '{Server}' ended the gateway's subscriptions/listen ({Error}); it is opened again")]
        public static partial void Ended(ILogger logger, string server, string error);

        [LoggerMessage(EventId = 3485, Level = LogLevel.Warning, Message = "Upstream '{Server}': the gateway's subscriptions/listen could not be opened again ({Error}); retrying, and no resource updates are relayed until then")]
        public static partial void ReopenFailed(ILogger logger, string server, string error);
    }
}
