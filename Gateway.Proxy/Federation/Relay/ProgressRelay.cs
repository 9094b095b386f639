using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Gateway.Proxy.Federation.Relay;

/// <summary>
/// Relays one call's upstream <c>notifications/progress</c> to the calling client. The upstream request carries a token
/// of the gateway's own (unique per call, so the shared session's concurrent calls never see each other's progress);
/// each notification for it goes to the client with the client's token, on the calling request's response stream.
/// The SDK hands notifications to handlers concurrently, so a value that arrives after a larger one is dropped (progress
/// only ever increases), which also keeps them in order.
/// </summary>
internal sealed partial class ProgressRelay : IAsyncDisposable
{
    private static readonly System.Text.Json.Serialization.Metadata.JsonTypeInfo s_paramsType =
        McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ProgressNotificationParams));

    private static readonly TimeSpan s_lastNotificationGrace = TimeSpan.FromMilliseconds(50);

    private readonly DownstreamRequest _downstream;
    private readonly ProgressToken _clientToken;
    private readonly string _upstreamToken = "mcp-gateway-" + Guid.NewGuid().ToString("N");
    private readonly SemaphoreSlim _order = new(1, 1);
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IAsyncDisposable? _registration;
    private double _last = double.NegativeInfinity;

    private ProgressRelay(DownstreamRequest downstream, ProgressToken clientToken, ILogger logger)
    {
        _downstream = downstream;
        _clientToken = clientToken;
        _logger = logger;
    }

    /// <summary>Asks <paramref name="client"/> for progress on <paramref name="parameters"/> when the caller asked for it.</summary>
    public static ProgressRelay? Start(McpClient client, DownstreamRequest? downstream, CallToolRequestParams parameters, ILogger logger)
    {
        if (downstream?.ProgressToken is not { } clientToken)
        {
            return null;
        }

        var relay = new ProgressRelay(downstream, clientToken, logger);
        (parameters.Meta ??= [])["progressToken"] = relay._upstreamToken;
        relay._registration = client.RegisterNotificationHandler(NotificationMethods.ProgressNotification, relay.OnProgressAsync);
        return relay;
    }

    /// <summary>
    /// Stops relaying once the call has its answer. The SDK hands out a notification and the answer that followed it
    /// concurrently, so the last progress (sent just before the answer) may still be on its way: waits briefly for it,
    /// or until the progress reached its total.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAny(_finished.Task, Task.Delay(s_lastNotificationGrace));
        await _order.WaitAsync();
        var registration = _registration;
        _registration = null;
        _order.Release();
        if (registration is not null)
        {
            await registration.DisposeAsync();
        }
    }

    private async ValueTask OnProgressAsync(JsonRpcNotification notification, CancellationToken cancellationToken)
    {
        if (notification.Params is null
            || JsonSerializer.Deserialize(notification.Params, s_paramsType) is not ProgressNotificationParams progress
            || progress.ProgressToken.ToString() != _upstreamToken)
        {
            return;
        }

        await _order.WaitAsync(cancellationToken);
        try
        {
            if (_registration is null || progress.Progress.Progress <= _last)
            {
                return;
            }

            _last = progress.Progress.Progress;
            await _downstream.Server.NotifyProgressAsync(_clientToken, progress.Progress, cancellationToken: cancellationToken);
            if (progress.Progress.Total is { } total && _last >= total)
            {
                _finished.TrySetResult();
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not OperationCanceledException)
        {
            // The caller went away; the call itself goes on and ends as it would have.
            Log.RelayFailed(_logger, ex.Message);
        }
        finally
        {
            _order.Release();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3420, Level = LogLevel.Debug, Message = "Could not relay an upstream progress notification to the calling client: {Error}")]
        public static partial void RelayFailed(ILogger logger, string error);
    }
}
