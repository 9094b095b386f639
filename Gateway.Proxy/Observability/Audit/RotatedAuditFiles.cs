using System.Globalization;

namespace Gateway.Proxy.Observability.Audit;

/// <summary>
/// Names rotated files <c>{stem}-yyyyMMdd-HHmmss{ext}</c> next to the active file (a <c>-N</c> suffix when
/// several rotations fall in the same second), and deletes the oldest beyond the retention count.
/// </summary>
internal sealed class RotatedAuditFiles(string activePath)
{
    private const string StampFormat = "yyyyMMdd-HHmmss";

    private readonly string _directory = Path.GetDirectoryName(Path.GetFullPath(activePath))!;
    private readonly string _stem = Path.GetFileNameWithoutExtension(activePath);
    private readonly string _extension = Path.GetExtension(activePath);

    /// <summary>
    /// A name that sorts after every existing rotated file of the same second, even when retention has already
    /// deleted the earlier ones.
    /// </summary>
    public string NextName(DateTime utcNow)
    {
        var stamp = utcNow.ToString(StampFormat, CultureInfo.InvariantCulture);
        var second = DateTime.ParseExact(stamp, StampFormat, CultureInfo.InvariantCulture);
        var next = -1;
        foreach (var (fileStamp, sequence, _) in Scan())
        {
            if (fileStamp == second)
            {
                next = Math.Max(next, sequence + 1);
            }
        }

        return next <= 0
            ? Path.Combine(_directory, $"{_stem}-{stamp}{_extension}")
            : Path.Combine(_directory, $"{_stem}-{stamp}-{next.ToString(CultureInfo.InvariantCulture)}{_extension}");
    }

    /// <summary>Rotated files, oldest first.</summary>
    public IReadOnlyList<string> List()
    {
        var files = Scan();
        files.Sort(static (a, b) => a.Stamp != b.Stamp ? a.Stamp.CompareTo(b.Stamp) : a.Sequence.CompareTo(b.Sequence));
        return files.ConvertAll(static f => f.Path);
    }

    public void DeleteBeyond(int retained)
    {
        var files = List();
        for (var i = 0; i < files.Count - retained; i++)
        {
            File.Delete(files[i]);
        }
    }

    private List<(DateTime Stamp, int Sequence, string Path)> Scan()
    {
        var files = new List<(DateTime Stamp, int Sequence, string Path)>();
        foreach (var path in Directory.EnumerateFiles(_directory, $"{_stem}-*{_extension}"))
        {
            if (TryParse(Path.GetFileName(path), out var stamp, out var sequence))
            {
                files.Add((stamp, sequence, path));
            }
        }

        return files;
    }

    private bool TryParse(string fileName, out DateTime stamp, out int sequence)
    {
        stamp = default;
        sequence = 0;
        var prefixLength = _stem.Length + 1;
        if (fileName.Length < prefixLength + StampFormat.Length + _extension.Length)
        {
            return false;
        }

        var middle = fileName.AsSpan(prefixLength, fileName.Length - prefixLength - _extension.Length);
        if (!DateTime.TryParseExact(middle[..StampFormat.Length], StampFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out stamp))
        {
            return false;
        }

        var rest = middle[StampFormat.Length..];
        return rest.IsEmpty
            || (rest[0] == '-' && int.TryParse(rest[1..], NumberStyles.None, CultureInfo.InvariantCulture, out sequence));
    }
}
