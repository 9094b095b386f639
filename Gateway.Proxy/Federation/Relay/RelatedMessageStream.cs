using System.Net.ServerSentEvents;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Gateway.Proxy.Federation.Relay;

/// <summary>
/// The event stream an upstream answers one request's POST with (Streamable HTTP), read through on its way to the SDK
/// client: each event is parsed (<see cref="SseParser"/>), each JSON-RPC notification in it handed to the request's
/// observer, and the event written on unchanged in meaning (<see cref="SseFormatter"/>: data, event type, id, retry).
/// This is the one place a notification is still tied to the request it was sent for: the SDK client writes every
/// incoming message into one channel and dispatches it on a task of its own. The observer sees an event before the SDK
/// reads it, so a request's notifications are seen in order, and all of them before its answer.
/// </summary>
internal sealed class RelatedMessageStream : Stream
{
    private static readonly System.Text.Json.Serialization.Metadata.JsonTypeInfo s_messageType =
        McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcMessage));

    private readonly Stream _inner;
    private readonly Action<JsonRpcNotification> _observe;
    private readonly MemoryStream _event = new();
    private IAsyncEnumerator<SseItem<string>>? _events;
    private ReadOnlyMemory<byte> _pending;

    private RelatedMessageStream(Stream inner, Action<JsonRpcNotification> observe)
    {
        _inner = inner;
        _observe = observe;
    }

    /// <summary>The answer read through the observer when it is an event stream; any other answer as it is.</summary>
    public static async Task<HttpContent> ApplyAsync(HttpContent content, Action<JsonRpcNotification> observe, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            return content;
        }

        var observed = new StreamContent(new RelatedMessageStream(await content.ReadAsStreamAsync(cancellationToken), observe));
        foreach (var header in content.Headers)
        {
            // The events are written anew, so the upstream's length (rare on a stream) need not be theirs.
            if (!string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                observed.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        return observed;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_pending.IsEmpty)
        {
            _events ??= SseParser.Create(_inner).EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
            if (!await _events.MoveNextAsync())
            {
                return 0;
            }

            var item = _events.Current;
            Observe(item.Data);
            _event.SetLength(0);
            await SseFormatter.WriteAsync(new[] { item }.ToAsyncEnumerable(), _event, cancellationToken);
            _pending = _event.GetBuffer().AsMemory(0, (int)_event.Length);
        }

        var count = Math.Min(buffer.Length, _pending.Length);
        _pending[..count].CopyTo(buffer);
        _pending = _pending[count..];
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // The SDK reads its event streams asynchronously only; a blocking read here would hold a thread per stream.
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (_events is { } events)
        {
            await events.DisposeAsync();
        }

        await _inner.DisposeAsync();
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _event.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Observe(string data)
    {
        // Answers (often the largest events) are left to the SDK's one parse; only notifications are looked at.
        if (!data.Contains("notifications/", StringComparison.Ordinal))
        {
            return;
        }

        try
        {
            if (JsonSerializer.Deserialize(data, s_messageType) is JsonRpcNotification notification)
            {
                _observe(notification);
            }
        }
        catch (JsonException)
        {
            // Malformed JSON is the SDK's to report when it reads the same event.
        }
    }
}
