using System.Buffers;
using System.Text.Json;

namespace Gateway.Proxy.Observability.Audit;

/// <summary>
/// Serializes a batch into one reusable buffer of complete JSONL lines, each at most
/// <see cref="AuditEntryBounds.MaxLineBytes"/> (a longer line is written again with tighter field bounds). An entry that
/// cannot be serialized is left out and reported instead of spoiling the batch.
/// </summary>
internal sealed class AuditBatchSerializer
{
    private readonly ArrayBufferWriter<byte> _batch = new(64 * 1024);
    private readonly ArrayBufferWriter<byte> _line = new(1024);
    private readonly Utf8JsonWriter _writer;

    public AuditBatchSerializer() => _writer = new Utf8JsonWriter(_line);

    /// <returns>The lines (valid until the next call) and how many entries could not be serialized.</returns>
    public (ReadOnlyMemory<byte> Lines, int Serialized, int Failed) Serialize(IReadOnlyList<AuditEntry> entries)
    {
        _batch.ResetWrittenCount();
        var failed = 0;
        foreach (var entry in entries)
        {
            try
            {
                SerializeLine(entry);
                if (_line.WrittenCount > AuditEntryBounds.MaxLineBytes)
                {
                    SerializeLine(AuditEntryBounds.Compact(AuditEntryBounds.Apply(entry)));
                }
            }
            catch (Exception exception) when (exception is ArgumentException or JsonException or InvalidOperationException)
            {
                failed++;
                continue;
            }

            _batch.Write(_line.WrittenSpan);
            _batch.Write("\n"u8);
        }

        return (_batch.WrittenMemory, entries.Count - failed, failed);
    }

    private void SerializeLine(AuditEntry entry)
    {
        _line.ResetWrittenCount();
        _writer.Reset(_line);
        JsonSerializer.Serialize(_writer, entry, AuditJsonContext.Default.AuditEntry);
        _writer.Flush();
    }
}
