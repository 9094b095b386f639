using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Threading.Channels;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Gateway.Proxy.Federation.Relay;

/// <summary>
/// Sees an upstream session's <c>notifications/progress</c> in the order they arrive, before the SDK client dispatches
/// them. The SDK hands each incoming message to its handlers on its own task, so two notifications, or the last
/// notification and the answer after it, can reach handlers in either order; read here, a call's progress is queued
/// for its relay before the call's answer is even read, and relayed in the upstream's order, all of it.
/// </summary>
public sealed class ProgressTap
{
    private static readonly System.Text.Json.Serialization.Metadata.JsonTypeInfo s_paramsType =
        McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ProgressNotificationParams));

    private readonly ConcurrentDictionary<string, Action<ProgressNotificationValue>> _listeners = new(StringComparer.Ordinal);

    /// <summary>The upstream's transport, its incoming messages read through this tap.</summary>
    public IClientTransport Wrap(IClientTransport transport) => new TappedClientTransport(transport, this);

    /// <summary>Hands <paramref name="listener"/> each progress notification for <paramref name="token"/> until disposed.</summary>
    public IDisposable Listen(string token, Action<ProgressNotificationValue> listener)
    {
        _listeners[token] = listener;
        return new Registration(this, token);
    }

    private void Observe(JsonRpcMessage message)
    {
        if (_listeners.IsEmpty || message is not JsonRpcNotification { Method: NotificationMethods.ProgressNotification, Params: { } parameters })
        {
            return;
        }

        try
        {
            if (parameters.Deserialize(s_paramsType) is ProgressNotificationParams progress
                && progress.ProgressToken.ToString() is { } token && _listeners.TryGetValue(token, out var listener))
            {
                listener(progress.Progress);
            }
        }
        catch (JsonException)
        {
            // Malformed progress is the SDK's to report; it is not relayed.
        }
    }

    private sealed class Registration(ProgressTap tap, string token) : IDisposable
    {
        public void Dispose() => tap._listeners.TryRemove(token, out _);
    }

    private sealed class TappedClientTransport(IClientTransport inner, ProgressTap tap) : IClientTransport
    {
        public string Name => inner.Name;

        public async Task<ITransport> ConnectAsync(CancellationToken cancellationToken = default) =>
            new TappedTransport(await inner.ConnectAsync(cancellationToken), tap);
    }

    private sealed class TappedTransport(ITransport inner, ProgressTap tap) : ITransport
    {
        private readonly TappedReader _reader = new(inner.MessageReader, tap);

        public string? SessionId => inner.SessionId;

        public ChannelReader<JsonRpcMessage> MessageReader => _reader;

        public Task SendMessageAsync(JsonRpcMessage message, CancellationToken cancellationToken = default) =>
            inner.SendMessageAsync(message, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    /// <summary>The SDK reads with WaitToReadAsync and TryRead, one message at a time: TryRead sees them in order.</summary>
    private sealed class TappedReader(ChannelReader<JsonRpcMessage> inner, ProgressTap tap) : ChannelReader<JsonRpcMessage>
    {
        public override Task Completion => inner.Completion;

        public override bool TryRead([MaybeNullWhen(false)] out JsonRpcMessage item)
        {
            if (!inner.TryRead(out item))
            {
                return false;
            }

            tap.Observe(item);
            return true;
        }

        public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) => inner.WaitToReadAsync(cancellationToken);
    }
}
