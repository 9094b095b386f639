using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.ObjectPool;

namespace Gateway.Proxy.Mcp;

/// <summary>
/// A JSON writer over a growable buffer, pooled: a reply is serialized whole before it is sent (for its Content-Length),
/// and a fresh buffer and writer per call were the largest allocation of a fast-path call.
/// </summary>
internal sealed class ReplyBuffer
{
    private const int InitialBytes = 1024;

    /// <summary>Larger buffers (a big tool result) are left to the GC rather than kept for the next, usually small, reply.</summary>
    private const int MaxPooledBytes = 64 * 1024;

    private static readonly ObjectPool<ReplyBuffer> s_pool = new DefaultObjectPool<ReplyBuffer>(new Policy(), Environment.ProcessorCount * 8);

    private readonly ArrayBufferWriter<byte> _buffer = new(InitialBytes);

    private ReplyBuffer(JsonWriterOptions options) => Writer = new Utf8JsonWriter(_buffer, options);

    public Utf8JsonWriter Writer { get; }

    public ReadOnlyMemory<byte> Written => _buffer.WrittenMemory;

    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = CompactJson.Options.Encoder };

    public static ReplyBuffer Rent() => s_pool.Get();

    public static void Return(ReplyBuffer reply) => s_pool.Return(reply);

    private sealed class Policy : PooledObjectPolicy<ReplyBuffer>
    {
        public override ReplyBuffer Create() => new(WriterOptions);

        public override bool Return(ReplyBuffer reply)
        {
            if (reply._buffer.Capacity > MaxPooledBytes)
            {
                return false;
            }

            reply.Writer.Reset();
            reply._buffer.ResetWrittenCount();
            return true;
        }
    }
}
