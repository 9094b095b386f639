using System.Text.Json;

namespace Gateway.Transforms.Federation.Pinning;

/// <summary>An upstream's <c>Pinning</c> key in routes.json: <c>{ "Unpinned": "Allow" | "Quarantine" }</c>.</summary>
public static class UpstreamPinningParser
{
    public const string Key = "Pinning";

    /// <summary>The upstream's own policy for tools without a pin, or null for the gateway-wide default.</summary>
    public static UnpinnedToolPolicy? Parse(JsonElement upstream, string owner, List<string> errors)
    {
        if (!FederationSectionParser.TryGet(upstream, Key, out var pinning))
        {
            return null;
        }

        if (pinning.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{owner}: 'Pinning' must be an object such as {{ \"Unpinned\": \"Quarantine\" }}");
            return null;
        }

        UnpinnedToolPolicy? policy = null;
        foreach (var property in pinning.EnumerateObject())
        {
            if (!property.Name.Equals("Unpinned", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"{owner}: unknown key 'Pinning.{property.Name}'; allowed: Unpinned");
            }
            else if (property.Value.ValueKind == JsonValueKind.String
                && Configuration.EnumNames.TryParse<UnpinnedToolPolicy>(property.Value.GetString(), out var parsed))
            {
                policy = parsed;
            }
            else
            {
                errors.Add($"{owner}: 'Pinning.Unpinned' must be \"Allow\" (serve tools that were never approved) or \"Quarantine\" (hide and refuse them until 'pins approve'), got {property.Value.GetRawText()}");
            }
        }

        return policy;
    }
}
