using System.Text.Json.Nodes;

namespace Gateway.Tests.Infrastructure;

/// <summary>Reads the gateway's JSONL audit trail, which is written in the background.</summary>
public static class AuditLines
{
    /// <summary>The audit line of <paramref name="requestId"/>, waiting up to 10 s for it to be written.</summary>
    public static async Task<JsonObject> WaitForAsync(string path, string requestId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            foreach (var line in await ReadAllAsync(path))
            {
                if (JsonNode.Parse(line) is JsonObject entry && (string?)entry["request_id"] == requestId)
                {
                    return entry;
                }
            }

            await Task.Delay(50);
        }

        throw new AssertionException($"No audit line for request {requestId} in {path}.");
    }

    /// <summary>Every line of the active file (empty when it does not exist yet).</summary>
    public static async Task<string[]> ReadAllAsync(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var text = await reader.ReadToEndAsync();
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
