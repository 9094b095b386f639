using System.Text.Json;

namespace Gateway.Transforms.Federation;

/// <summary>
/// The <c>Uris</c> key of an upstream's <c>Resources</c> object in routes.json: <c>"Prefixed"</c> or <c>"Verbatim"</c>.
/// The object's shape and its other keys (<c>Include</c>, <c>Exclude</c>) are checked by <see cref="UpstreamPrimitiveListsParser"/>.
/// </summary>
public static class UpstreamResourcesParser
{
    public const string UrisKey = "Uris";

    public static UpstreamResourceUris Parse(JsonElement upstream, string owner, List<string> errors)
    {
        if (!FederationSectionParser.TryGet(upstream, UpstreamPrimitiveListsParser.ResourcesKey, out var resources) || resources.ValueKind != JsonValueKind.Object)
        {
            return UpstreamResourceUris.Prefixed;
        }

        var uris = UpstreamResourceUris.Prefixed;
        foreach (var property in resources.EnumerateObject())
        {
            if (!property.Name.Equals(UrisKey, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (property.Value.ValueKind == JsonValueKind.String && Configuration.EnumNames.TryParse<UpstreamResourceUris>(property.Value.GetString(), out var parsed))
            {
                uris = parsed;
            }
            else
            {
                errors.Add($"{owner}: '{UpstreamPrimitiveListsParser.ResourcesKey}.{UrisKey}' must be \"Prefixed\" (URIs shown as mcp-gateway://{{server}}/{{upstream URI}}, the default) or \"Verbatim\" (the upstream's own URIs; at most one upstream), got {property.Value.GetRawText()}");
            }
        }

        return uris;
    }
}
