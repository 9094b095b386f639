using Gateway.Transforms.Pipeline;

namespace Gateway.Proxy.Tools.ResultSize;

/// <summary>
/// The in-memory response body of a tool call that refuses to grow past the tool's cap. The first write that would
/// cross it records a <c>ResultTooLarge</c> rejection and throws, so the proxy stops reading the backend's answer
/// there instead of buffering all of it; nothing of an oversized answer reaches the caller.
/// </summary>
public sealed class CappedResponseBody : Stream
{
    private readonly MemoryStream _buffer = new();
    private readonly HttpContext _context;
    private readonly long _limit;
    private readonly CancellationTokenSource _abort;

    public CappedResponseBody(HttpContext context, long limit)
    {
        _context = context;
        _limit = limit;
        _abort = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
    }

    /// <summary>
    /// The call's abort token, cancelled too when the cap is crossed: a failed write alone does not reliably stop the
    /// HTTP client from reading (it may drain the rest of the answer to reuse the connection).
    /// </summary>
    public CancellationToken Aborted => _abort.Token;

    public long Limit => _limit;

    public bool Exceeded { get; private set; }

    public ReadOnlyMemory<byte> Written => _buffer.GetBuffer().AsMemory(0, (int)_buffer.Length);

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _buffer.Length;

    public override long Position { get => _buffer.Length; set => throw new NotSupportedException(); }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Admit(buffer.Length);
        _buffer.Write(buffer);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return default;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void Admit(int count)
    {
        if (Exceeded)
        {
            throw new ResultTooLargeException();
        }

        var declared = _context.Response.ContentLength;
        var total = _buffer.Length + count;
        if (total <= _limit && !(declared > _limit))
        {
            return;
        }

        Exceeded = true;
        var toolCall = _context.Features.Get<GatewayCall>();
        var rejection = ResultTooLargeRejection.Create(toolCall?.Tool?.Name ?? "?", declared, total, _limit);

        // For a tool call this records the rejection (audit, metrics, the dispatcher) and completes synchronously.
        _ = Rejections.RejectAsync(_context, rejection);
        _abort.Cancel();
        throw new ResultTooLargeException();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _buffer.Dispose();
            _abort.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Thrown into the proxy's copy loop to stop reading the backend's answer.</summary>
    private sealed class ResultTooLargeException() : IOException("The tool's answer exceeds its result size cap.");
}
