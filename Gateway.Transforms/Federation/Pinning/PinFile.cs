using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Gateway.Transforms.Federation.Pinning;

/// <summary>
/// The pin file (<c>routes.pins.json</c> beside routes.json by default), written by <c>pins approve</c>:
/// <code>{ "&lt;server&gt;": { "&lt;upstream tool&gt;": { "sha256": "…", "approvedAt": "2026-…Z", "approvedBy": "…" } } }</code>
/// Read strictly: unknown keys, a malformed hash or date are errors naming the entry.
/// </summary>
public static class PinFile
{
    private static readonly JsonDocumentOptions s_options = new() { CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false, MaxDepth = 8 };

    /// <summary>The default path: beside routes.json, <c>&lt;name&gt;.pins.json</c>.</summary>
    public static string DefaultPathFor(string routesPath) =>
        Path.Combine(Path.GetDirectoryName(routesPath) ?? ".", Path.GetFileNameWithoutExtension(routesPath) + ".pins.json");

    /// <summary>Reads <paramref name="path"/>; a missing file is an empty set (nothing approved yet).</summary>
    /// <exception cref="InvalidDataException">The file is not a valid pin file; the message says where and why.</exception>
    public static PinSet Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return PinSet.Empty;
        }
        catch (DirectoryNotFoundException)
        {
            return PinSet.Empty;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"The pin file {path} cannot be read: {ex.Message}");
        }

        return Parse(bytes, path);
    }

    public static PinSet Parse(ReadOnlyMemory<byte> bytes, string path)
    {
        var errors = new List<string>();
        PinSet? pins = null;
        try
        {
            using var document = JsonDocument.Parse(bytes, s_options);
            pins = Parse(document.RootElement, errors);
        }
        catch (JsonException ex)
        {
            errors.Add($"not valid JSON ({ex.Message})");
        }

        if (errors.Count > 0 || pins is null)
        {
            var more = errors.Count > 1 ? $" (and {errors.Count - 1} more)" : "";
            throw new InvalidDataException($"The pin file {path} is invalid: {errors[0]}{more}. Fix or delete it, or write it again with 'pins approve'.");
        }

        return pins;
    }

    private static PinSet? Parse(JsonElement root, List<string> errors)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add("it must be a JSON object keyed by upstream server name");
            return null;
        }

        var servers = ImmutableSortedDictionary.CreateBuilder<string, ImmutableSortedDictionary<string, ToolPin>>(StringComparer.Ordinal);
        foreach (var server in root.EnumerateObject())
        {
            if (server.Value.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"'{server.Name}' must be an object keyed by the upstream's tool names");
                continue;
            }

            var tools = ImmutableSortedDictionary.CreateBuilder<string, ToolPin>(StringComparer.Ordinal);
            foreach (var tool in server.Value.EnumerateObject())
            {
                if (ParsePin(tool.Value, $"'{server.Name}.{tool.Name}'", errors) is { } pin && !tools.TryAdd(tool.Name, pin))
                {
                    errors.Add($"'{server.Name}.{tool.Name}' appears twice");
                }
            }

            if (!servers.TryAdd(server.Name, tools.ToImmutable()))
            {
                errors.Add($"server '{server.Name}' appears twice");
            }
        }

        return new PinSet(servers.ToImmutable());
    }

    private static ToolPin? ParsePin(JsonElement element, string owner, List<string> errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{owner} must be an object with 'sha256' and 'approvedAt'");
            return null;
        }

        string? hash = null;
        DateTimeOffset? approvedAt = null;
        string? approvedBy = null;
        var first = errors.Count;
        foreach (var property in element.EnumerateObject())
        {
            switch (property.Name)
            {
                case "sha256":
                    hash = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                    if (!ToolDefinitionHash.IsWellFormed(hash))
                    {
                        errors.Add($"{owner}.sha256 must be 64 lowercase hex digits");
                    }

                    break;
                case "approvedAt":
                    if (property.Value.ValueKind == JsonValueKind.String
                        && DateTimeOffset.TryParse(property.Value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                    {
                        approvedAt = at.ToUniversalTime();
                    }
                    else
                    {
                        errors.Add($"{owner}.approvedAt must be a date and time such as \"2026-01-31T12:00:00Z\"");
                    }

                    break;
                case "approvedBy":
                    approvedBy = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                    if (approvedBy is null)
                    {
                        errors.Add($"{owner}.approvedBy must be a string");
                    }

                    break;
                default:
                    errors.Add($"{owner} has unknown key '{property.Name}'; allowed: sha256, approvedAt, approvedBy");
                    break;
            }
        }

        if (hash is null && errors.Count == first)
        {
            errors.Add($"{owner}.sha256 is required");
        }

        if (approvedAt is null && errors.Count == first)
        {
            errors.Add($"{owner}.approvedAt is required");
        }

        return errors.Count == first ? new ToolPin(hash!, approvedAt!.Value, approvedBy) : null;
    }

    public static byte[] Serialize(PinSet pins)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            foreach (var (server, tools) in pins.Servers)
            {
                writer.WriteStartObject(server);
                foreach (var (tool, pin) in tools)
                {
                    writer.WriteStartObject(tool);
                    writer.WriteString("sha256", pin.Sha256);
                    writer.WriteString("approvedAt", pin.ApprovedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
                    if (pin.ApprovedBy is { } by)
                    {
                        writer.WriteString("approvedBy", by);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        buffer.Write(Encoding.UTF8.GetBytes(Environment.NewLine));
        return buffer.ToArray();
    }

    /// <summary>Writes the whole file at once (a temp file renamed over it), so a watching gateway never reads half of it.</summary>
    public static void Write(string path, PinSet pins)
    {
        var full = Path.GetFullPath(path);
        var temp = full + ".tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        File.WriteAllBytes(temp, Serialize(pins));
        File.Move(temp, full, overwrite: true);
    }
}
