using System.Threading.Channels;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Gateway.Proxy.Federation.Relay;

/// <summary>
/// Relays one call's upstream <c>notifications/progress</c> to the calling client. The upstream request carries a token
/// of the gateway's own (unique per call, so the shared session's concurrent calls never see each other's progress);
/// each notification for it goes to the client with the client's token, on the calling request's response stream.
/// They are taken off the upstream's stream in order (<see cref="ProgressTap"/>) and sent one after the other, so the
/// client gets every one, in the upstream's order, and all of them before the call's answer; a value that does not
/// increase is dropped (progress only ever increases).
/// </summary>
internal sealed partial class ProgressRelay : IAsyncDisposable
{
    // Progress supersedes progress: if the client reads slower than the upstream reports, the oldest waiting ones go.
    private const int MaxWaiting = 64;

    private static readonly TimeSpan s_drainLimit = TimeSpan.FromSeconds(5);

    private readonly DownstreamRequest _downstream;
    private readonly ProgressToken _clientToken;
    private readonly string _upstreamToken = "mcp-gateway-" + Guid.NewGuid().ToString("N");
    private readonly ILogger _logger;
    private readonly Channel<ProgressNotificationValue> _waiting =
        Channel.CreateBounded<ProgressNotificationValue>(new BoundedChannelOptions(MaxWaiting) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _abandon = new();
    private IDisposable? _registration;
    private Task _pump = Task.CompletedTask;

    private ProgressRelay(DownstreamRequest downstream, ProgressToken clientToken, ILogger logger)
    {
        _downstream = downstream;
        _clientToken = clientToken;
        _logger = logger;
    }

    /// <summary>Asks for progress on <paramref name="parameters"/> (sent on the session <paramref name="tap"/> reads) when the caller asked for it.</summary>
    public static ProgressRelay? Start(ProgressTap tap, DownstreamRequest? downstream, CallToolRequestParams parameters, ILogger logger)
    {
        if (downstream?.ProgressToken is not { } clientToken)
        {
            return null;
        }

        var relay = new ProgressRelay(downstream, clientToken, logger);
        (parameters.Meta ??= [])["progressToken"] = relay._upstreamToken;
        relay._registration = tap.Listen(relay._upstreamToken, value => relay._waiting.Writer.TryWrite(value));
        relay._pump = relay.PumpAsync();
        return relay;
    }

    /// <summary>
    /// Once the call has its answer: every notification the upstream sent before it is already waiting here (the tap
    /// saw it first), and is sent to the client before the answer. Bounded, for a client that stopped reading.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        _registration?.Dispose();
        _waiting.Writer.TryComplete();
        if (await Task.WhenAny(_pump, Task.Delay(s_drainLimit)) != _pump)
        {
            await _abandon.CancelAsync();
        }

        await _pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _abandon.Dispose();
    }

    private async Task PumpAsync()
    {
        var last = double.NegativeInfinity;
        await foreach (var progress in _waiting.Reader.ReadAllAsync())
        {
            if (progress.Progress <= last)
            {
                continue;
            }

            last = progress.Progress;
            try
            {
                await _downstream.Server.NotifyProgressAsync(_clientToken, progress, cancellationToken: _abandon.Token);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The caller went away (or stopped reading); the call itself goes on and ends as it would have.
                Log.RelayFailed(_logger, ex.Message);
                return;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3420, Level = LogLevel.Debug, Message = "Could not relay an upstream progress notification to the calling client: {Error}")]
        public static partial void RelayFailed(ILogger logger, string error);
    }
}
