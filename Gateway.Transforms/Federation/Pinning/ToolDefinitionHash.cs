using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Gateway.Transforms.Federation.Pinning;

/// <summary>
/// The SHA-256 a tool definition is pinned by: over the RFC 8785 canonical JSON of what the upstream itself lists and a
/// model reads — <c>name</c>, <c>title</c>, <c>description</c>, <c>inputSchema</c>, <c>outputSchema</c> and
/// <c>annotations</c> — never the gateway's overrides (an override must not hide an upstream's change). Icons and
/// <c>_meta</c> are left out: they do not steer the model, and some servers vary <c>_meta</c> per listing.
/// </summary>
public static class ToolDefinitionHash
{
    public static readonly IReadOnlyList<string> PinnedMembers = ["name", "title", "description", "inputSchema", "outputSchema", "annotations"];

    private static readonly JsonTypeInfo<Tool> s_toolType = (JsonTypeInfo<Tool>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(Tool));

    /// <summary>Lowercase hex of the SHA-256.</summary>
    public static string Compute(Tool tool) => Compute(JsonSerializer.SerializeToElement(tool, s_toolType));

    public static string Compute(JsonElement tool)
    {
        var pinned = new List<KeyValuePair<string, JsonElement>>();
        foreach (var member in PinnedMembers)
        {
            if (tool.TryGetProperty(member, out var value) && value.ValueKind != JsonValueKind.Null)
            {
                pinned.Add(KeyValuePair.Create(member, value));
            }
        }

        var canonical = CanonicalJson.SerializeObject(pinned);
        return Convert.ToHexStringLower(SHA256.HashData(canonical));
    }

    public static bool IsWellFormed(string? hash) =>
        hash is { Length: 64 } && hash.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
