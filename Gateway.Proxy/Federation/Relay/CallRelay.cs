// Logging is deprecated as of 2026-07-28 (SEP-2577), but upstreams on 2025-11-25 and the clients calling the gateway
// still use it; relaying it is this file's job.
#pragma warning disable MCP9005
using System.Text.Json;
using System.Threading.Channels;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Gateway.Proxy.Federation.Relay;

/// <summary>
/// Relays what the upstream sends about one call to the calling client, on the calling request's response stream, one
/// after the other in the upstream's order and all of it before the call's answer:
/// <list type="bullet">
/// <item><c>notifications/progress</c>: the upstream request carries a token of the gateway's own (unique per call, so
/// the shared session's concurrent calls never see each other's progress); each notification for it goes to the client
/// with the client's token. A value that does not increase is dropped (progress only ever increases).</item>
/// <item><c>notifications/message</c> (log messages) the upstream sends on the call's own response stream (Streamable
/// HTTP: <see cref="RelatedMessageStream"/>), at or above the level the client wants (<see cref="DownstreamRequest.LogLevel"/>),
/// the logger name prefixed with the server's (<see cref="UpstreamLogMessage"/>).</item>
/// </list>
/// Both are taken off the upstream's stream as it is read, before the SDK client's concurrent dispatch; progress also
/// through <see cref="ProgressTap"/> (an upstream may send it on its standalone stream), where the same notification
/// seen twice is dropped as not increasing.
/// </summary>
internal sealed partial class CallRelay : IAsyncDisposable
{
    // Progress supersedes progress: if the client reads slower than the upstream reports, the oldest waiting ones go.
    private const int MaxWaiting = 64;

    private static readonly TimeSpan s_drainLimit = TimeSpan.FromSeconds(5);
    private static readonly System.Text.Json.Serialization.Metadata.JsonTypeInfo s_progressType =
        McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ProgressNotificationParams));
    private static readonly System.Text.Json.Serialization.Metadata.JsonTypeInfo s_logType =
        McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(LoggingMessageNotificationParams));

    private readonly DownstreamRequest _downstream;
    private readonly ProgressToken? _clientToken;
    private readonly string _upstreamToken = "mcp-gateway-" + Guid.NewGuid().ToString("N");
    private readonly string _server;
    private readonly ILogger _logger;
    private readonly Channel<Relayed> _waiting =
        Channel.CreateBounded<Relayed>(new BoundedChannelOptions(MaxWaiting) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly CancellationTokenSource _abandon = new();
    private IDisposable? _registration;
    private UpstreamCall? _observed;
    private Task _pump = Task.CompletedTask;

    private CallRelay(DownstreamRequest downstream, ProgressToken? clientToken, string server, ILogger logger)
    {
        _downstream = downstream;
        _clientToken = clientToken;
        _server = server;
        _logger = logger;
    }

    /// <summary>
    /// Starts relaying for <paramref name="call"/> when its caller asked for progress or wants log messages; asks the
    /// upstream for progress on <paramref name="parameters"/> (sent on the session <paramref name="tap"/> reads).
    /// </summary>
    /// <param name="relaysLogs">Whether the call's own response stream can be read (Streamable HTTP) and its log messages
    /// go to no one else (not a session bound to the caller's downstream session, which relays all of its own).</param>
    public static CallRelay? Start(ProgressTap tap, UpstreamCall call, CallToolRequestParams parameters, bool relaysLogs, string server, ILogger logger)
    {
        if (call.Downstream is not { } downstream)
        {
            return null;
        }

        var logs = relaysLogs && downstream.LogLevel is not null;
        if (downstream.ProgressToken is null && !logs)
        {
            return null;
        }

        var relay = new CallRelay(downstream, downstream.ProgressToken, server, logger);
        if (downstream.ProgressToken is not null)
        {
            (parameters.Meta ??= [])["progressToken"] = relay._upstreamToken;
            relay._registration = tap.Listen(relay._upstreamToken, value => relay._waiting.Writer.TryWrite(new Relayed(value, null)));
        }

        if (logs)
        {
            call.RelatedNotifications = relay.Observe;
            relay._observed = call;
        }

        relay._pump = relay.PumpAsync();
        return relay;
    }

    /// <summary>
    /// Once the call has its answer: every notification the upstream sent before it is already waiting here (seen
    /// first), and is sent to the client before the answer. Bounded, for a client that stopped reading.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        _registration?.Dispose();
        if (_observed is { } call)
        {
            call.RelatedNotifications = null;
        }

        _waiting.Writer.TryComplete();
        if (await Task.WhenAny(_pump, Task.Delay(s_drainLimit)) != _pump)
        {
            await _abandon.CancelAsync();
        }

        await _pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _abandon.Dispose();
    }

    private void Observe(JsonRpcNotification notification)
    {
        if (notification.Params is null)
        {
            return;
        }

        try
        {
            switch (notification.Method)
            {
                case NotificationMethods.LoggingMessageNotification
                    when notification.Params.Deserialize(s_logType) is LoggingMessageNotificationParams message:
                    _waiting.Writer.TryWrite(new Relayed(null, message));
                    break;
                case NotificationMethods.ProgressNotification
                    when _clientToken is not null && notification.Params.Deserialize(s_progressType) is ProgressNotificationParams progress
                        && progress.ProgressToken.ToString() == _upstreamToken:
                    _waiting.Writer.TryWrite(new Relayed(progress.Progress, null));
                    break;
            }
        }
        catch (JsonException)
        {
            // Malformed params are the SDK's to report; they are not relayed.
        }
    }

    private async Task PumpAsync()
    {
        var last = double.NegativeInfinity;
        await foreach (var (progress, message) in _waiting.Reader.ReadAllAsync())
        {
            try
            {
                if (progress is { } value && _clientToken is { } clientToken)
                {
                    if (value.Progress <= last)
                    {
                        continue;
                    }

                    last = value.Progress;
                    await _downstream.Server.NotifyProgressAsync(clientToken, value, cancellationToken: _abandon.Token);
                }
                else if (message is not null && _downstream.Wants(message.Level))
                {
                    await _downstream.Server.SendNotificationAsync(NotificationMethods.LoggingMessageNotification, UpstreamLogMessage.From(_server, message),
                        McpJsonUtilities.DefaultOptions, cancellationToken: _abandon.Token);
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The caller went away (or stopped reading); the call itself goes on and ends as it would have.
                Log.RelayFailed(_logger, _server, ex.Message);
                return;
            }
        }
    }

    /// <summary>One notification waiting for the client: progress or a log message.</summary>
    private readonly record struct Relayed(ProgressNotificationValue? Progress, LoggingMessageNotificationParams? Message);

    private static partial class Log
    {
        [LoggerMessage(EventId = 3420, Level = LogLevel.Debug, Message = "Upstream '{Server}': could not relay a call's progress or log message to the calling client: {Error}")]
        public static partial void RelayFailed(ILogger logger, string server, string error);
    }
}
