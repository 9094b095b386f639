namespace Gateway.Proxy.Federation;

/// <summary>
/// The result-size cap of one federated call, applied to the upstream's HTTP answer while it is read: a declared
/// Content-Length over the cap is refused before reading, and reading stops at the first byte past it, so an
/// oversized answer is never buffered whole. What is counted is the HTTP body of the call's <c>tools/call</c> POST
/// (the JSON-RPC response, or the SSE stream that carries it with any notifications sent before it).
/// </summary>
public sealed class UpstreamResultCap(long limit)
{
    private long _received;

    public long Limit { get; } = limit;

    public bool Exceeded { get; private set; }

    /// <summary>The Content-Length the upstream declared, when it declared one over the cap.</summary>
    public long? DeclaredBytes { get; private set; }

    public long ReceivedBytes => Interlocked.Read(ref _received);

    /// <exception cref="UpstreamResultTooLargeException">The upstream declared a body over the cap.</exception>
    public async Task<HttpContent> ApplyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength is { } declared && declared > Limit)
        {
            DeclaredBytes = declared;
            Exceeded = true;
            throw new UpstreamResultTooLargeException();
        }

        var capped = new StreamContent(new CountingStream(await content.ReadAsStreamAsync(cancellationToken), this));
        foreach (var header in content.Headers)
        {
            capped.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return capped;
    }

    private void Count(int read)
    {
        if (Interlocked.Add(ref _received, read) > Limit)
        {
            Exceeded = true;
            throw new UpstreamResultTooLargeException();
        }
    }

    /// <summary>Reads the upstream's body through, counting; owns (and disposes) the original body stream.</summary>
    private sealed class CountingStream(Stream inner, UpstreamResultCap cap) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Counted(inner.Read(buffer));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Counted(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Counted(int read)
        {
            cap.Count(read);
            return read;
        }
    }
}

/// <summary>Thrown into the SDK's read of an upstream answer that crossed the call's result-size cap, to stop reading it.</summary>
public sealed class UpstreamResultTooLargeException() : IOException("The upstream's answer exceeds the tool's result size cap.");
