using System.Text.Json;

namespace Gateway.Proxy.Security.Keys;

/// <summary>Reads and writes the key file. Writes replace the file atomically so a watching gateway never sees half of it.</summary>
public static class ApiKeyFile
{
    /// <summary>Parses the file's bytes; null with <paramref name="error"/> set when they are not a key file.</summary>
    public static ApiKeyDocument? Parse(ReadOnlySpan<byte> json, out string? error)
    {
        try
        {
            var document = JsonSerializer.Deserialize(json, ApiKeyJsonContext.Default.ApiKeyDocument);
            error = document is null ? "the file holds 'null' instead of { \"version\": 1, \"keys\": [...] }" : Check(document);
            return error is null ? document : null;
        }
        catch (JsonException ex)
        {
            error = $"not a key file: {ex.Message}";
            return null;
        }
    }

    /// <summary>Reads the file; a missing file is an empty document.</summary>
    public static async Task<ApiKeyDocument> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
        {
            return new ApiKeyDocument();
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        return Parse(bytes, out var error) ?? throw new InvalidDataException($"{path}: {error}");
    }

    public static async Task WriteAsync(string path, ApiKeyDocument document, CancellationToken cancellationToken = default)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var streamOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                // Hashes only, but still nobody else's business.
                streamOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            await using (var stream = new FileStream(temporary, streamOptions))
            {
                await JsonSerializer.SerializeAsync(stream, document, ApiKeyJsonContext.Default.ApiKeyDocument, cancellationToken);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static string? Check(ApiKeyDocument document)
    {
        if (document.Version != ApiKeyDocument.CurrentVersion)
        {
            return $"version {document.Version} is not supported; this gateway reads version {ApiKeyDocument.CurrentVersion}";
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < document.Keys.Count; i++)
        {
            var key = document.Keys[i];
            var where = $"keys[{i}]";
            if (!ApiKeyFormat.IsValidId(key.Id))
            {
                return $"{where}: 'id' must be {ApiKeyFormat.IdLength} lowercase hex digits (create keys with 'keys create')";
            }

            if (!ids.Add(key.Id))
            {
                return $"{where}: id '{key.Id}' appears twice";
            }

            if (!ApiKeyFormat.TryDecodeHash(key.Hash, out _))
            {
                return $"{where} (id '{key.Id}'): 'hash' must be 'sha256:' and 64 hex digits";
            }

            if (!ScopeToken.IsValid(key.Subject) || !ScopeToken.IsValid(key.Tier))
            {
                return $"{where} (id '{key.Id}'): 'subject' and 'tier' are required and may not contain spaces, quotes or commas";
            }

            if (key.Tenant is not null && !ScopeToken.IsValid(key.Tenant))
            {
                return $"{where} (id '{key.Id}'): 'tenant' may not be empty or contain spaces, quotes or commas";
            }

            foreach (var scope in key.Scopes.Concat(key.Roles))
            {
                if (!ScopeToken.IsValid(scope))
                {
                    return $"{where} (id '{key.Id}'): scope or role '{scope}' may not be empty or contain spaces, quotes or commas";
                }
            }
        }

        return null;
    }
}
