using System.Globalization;
using System.Text.Json;
using Gateway.Proxy.Observability.Audit;

namespace Gateway.Proxy.Security.Keys;

/// <summary>When each API key was last used, read from the audit trail (the active file and its rotated siblings).</summary>
internal static class KeyLastUse
{
    public sealed record Result(IReadOnlyDictionary<string, DateTimeOffset> LastUsed, int FilesRead, int UnreadableLines);

    public static async Task<Result> ReadAsync(string auditPath, CancellationToken cancellationToken = default)
    {
        var lastUsed = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var files = new List<string>();
        if (Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(auditPath))))
        {
            files.AddRange(new RotatedAuditFiles(auditPath).List());
        }

        if (File.Exists(auditPath))
        {
            files.Add(auditPath);
        }

        var unreadable = 0;
        foreach (var file in files)
        {
            using var reader = new StreamReader(new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                if (!TryRead(line, out var keyId, out var timestamp))
                {
                    unreadable++;
                    continue;
                }

                if (keyId is not null && (!lastUsed.TryGetValue(keyId, out var seen) || timestamp > seen))
                {
                    lastUsed[keyId] = timestamp;
                }
            }
        }

        return new Result(lastUsed, files.Count, unreadable);
    }

    private static bool TryRead(string line, out string? keyId, out DateTimeOffset timestamp)
    {
        keyId = null;
        timestamp = default;
        try
        {
            using var entry = JsonDocument.Parse(line);
            var root = entry.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("timestamp", out var time) || time.ValueKind != JsonValueKind.String
                || !DateTimeOffset.TryParse(time.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out timestamp))
            {
                return false;
            }

            if (root.TryGetProperty("api_key_id", out var id) && id.ValueKind == JsonValueKind.String)
            {
                keyId = id.GetString();
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
