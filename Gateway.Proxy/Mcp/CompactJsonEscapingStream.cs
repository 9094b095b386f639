using System.Buffers;
using System.Text;

namespace Gateway.Proxy.Mcp;

/// <summary>
/// Rewrites the SDK's HTML-safe <c>\uXXXX</c> escapes in the JSON it streams (its serializer options are fixed) into
/// what <see cref="CompactJson.Encoder"/> writes, so every path answers with the same bytes as the fast path. Only
/// whole escapes are touched: a backslash always starts an escape inside a JSON string and never appears outside one,
/// so <c>\\u0022</c> (an escaped backslash followed by text) stays as it is.
/// </summary>
public sealed class CompactJsonEscapingStream : Stream
{
    private const int EscapeLength = 6;

    private readonly Stream _inner;
    private readonly byte[] _pending = new byte[EscapeLength];
    private int _pendingLength;

    public CompactJsonEscapingStream(Stream inner) => _inner = inner;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_pendingLength == 0 && buffer.IndexOf((byte)'\\') < 0)
        {
            _inner.Write(buffer);
            return;
        }

        var output = ArrayPool<byte>.Shared.Rent(buffer.Length + EscapeLength);
        try
        {
            _inner.Write(output, 0, Rewrite(buffer, output));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(output);
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_pendingLength == 0 && buffer.Span.IndexOf((byte)'\\') < 0)
        {
            await _inner.WriteAsync(buffer, cancellationToken);
            return;
        }

        var output = ArrayPool<byte>.Shared.Rent(buffer.Length + EscapeLength);
        try
        {
            var written = Rewrite(buffer.Span, output);
            await _inner.WriteAsync(output.AsMemory(0, written), cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(output);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Copies <paramref name="input"/> to <paramref name="output"/>, relaxing escapes; an escape cut by the end of the buffer waits for the next write.</summary>
    private int Rewrite(ReadOnlySpan<byte> input, Span<byte> output)
    {
        var written = 0;
        foreach (var b in input)
        {
            if (_pendingLength == 0)
            {
                if (b == (byte)'\\')
                {
                    _pending[_pendingLength++] = b;
                }
                else
                {
                    output[written++] = b;
                }

                continue;
            }

            _pending[_pendingLength++] = b;
            if (_pendingLength == 2 && b != (byte)'u')
            {
                // \" \\ \n ...: a complete two-character escape, kept.
                written += Flush(output[written..]);
            }
            else if (_pendingLength == EscapeLength)
            {
                written += Relax(output[written..]);
            }
        }

        return written;
    }

    private int Flush(Span<byte> output)
    {
        _pending.AsSpan(0, _pendingLength).CopyTo(output);
        var length = _pendingLength;
        _pendingLength = 0;
        return length;
    }

    private int Relax(Span<byte> output)
    {
        // U+FFFD stays escaped: the encoder writes it for lone surrogates, and the SDK's escape cannot say which it was.
        if (!TryParseHex(_pending.AsSpan(2, 4), out var codeUnit) || char.IsSurrogate((char)codeUnit) || codeUnit == 0xFFFD
            || CompactJson.Encoder.WillEncode(codeUnit) && codeUnit != '"')
        {
            return Flush(output);
        }

        _pendingLength = 0;
        if (codeUnit == '"')
        {
            output[0] = (byte)'\\';
            output[1] = (byte)'"';
            return 2;
        }

        return new Rune(codeUnit).EncodeToUtf8(output);
    }

    private static bool TryParseHex(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        foreach (var digit in digits)
        {
            var nibble = digit switch
            {
                >= (byte)'0' and <= (byte)'9' => digit - '0',
                >= (byte)'a' and <= (byte)'f' => digit - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => digit - 'A' + 10,
                _ => -1,
            };
            if (nibble < 0)
            {
                return false;
            }

            value = value << 4 | nibble;
        }

        return true;
    }
}
