namespace Gateway.Proxy.Observability.Audit;

/// <summary>
/// Appends batches of complete JSONL lines to the active audit file, rotating by size or UTC day.
/// Each batch goes out in one unbuffered write followed by a flush, so a crash cannot leave half a line
/// between two whole ones. A crash in the middle of that write can still leave a torn last line: on opening,
/// a file whose last byte is not '\n' gets one, so the torn fragment stays on its own line and the next entry
/// starts cleanly (readers skip the one unparseable line).
/// </summary>
internal sealed class AuditLogFile(AuditOptions options, TimeProvider time) : IDisposable
{
    private readonly string _path = Path.GetFullPath(options.Path);
    private readonly RotatedAuditFiles _rotated = new(options.Path);
    private FileStream? _stream;
    private DateOnly _fileDay;

    public string ActivePath => _path;

    public void Open()
    {
        if (_stream is not null)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        var stream = new FileStream(_path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        try
        {
            RepairTornTail(stream);
        }
        catch
        {
            stream.Dispose();
            throw;
        }

        _fileDay = stream.Length > 0 ? DateOnly.FromDateTime(File.GetLastWriteTimeUtc(_path)) : Today();
        _stream = stream;
    }

    /// <param name="lines">Complete lines, each ending with '\n'.</param>
    public void Append(ReadOnlySpan<byte> lines)
    {
        try
        {
            Open();
            if (ShouldRotate(lines.Length))
            {
                Rotate();
                Open();
            }

            _stream!.Write(lines);
            _stream.Flush(options.FlushToDisk);
        }
        catch
        {
            // The stream may be in an unknown state; reopening repairs the tail before the next batch.
            Close();
            throw;
        }
    }

    public void Dispose() => Close();

    private bool ShouldRotate(int incoming)
    {
        var length = _stream!.Length;
        if (length == 0)
        {
            return false;
        }

        return (options.RotateDaily && Today() != _fileDay)
            || (options.MaxFileBytes > 0 && length + incoming > options.MaxFileBytes);
    }

    private void Rotate()
    {
        Close();
        File.Move(_path, _rotated.NextName(time.GetUtcNow().UtcDateTime));
        _rotated.DeleteBeyond(options.MaxRetainedFiles);
    }

    private DateOnly Today() => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    private void Close()
    {
        _stream?.Dispose();
        _stream = null;
    }

    private static void RepairTornTail(FileStream stream)
    {
        if (stream.Length > 0)
        {
            stream.Seek(-1, SeekOrigin.End);
            if (stream.ReadByte() != '\n')
            {
                stream.Write("\n"u8);
            }
        }

        stream.Seek(0, SeekOrigin.End);
    }
}
