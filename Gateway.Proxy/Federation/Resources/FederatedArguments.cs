using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;

namespace Gateway.Proxy.Federation.Resources;

/// <summary>A federated request's parameters as the JSON object the call pipeline and the audit hash see.</summary>
internal static class FederatedArguments
{
    public static JsonElement Of(JsonObject arguments) =>
        JsonSerializer.SerializeToElement(arguments, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonObject)));

    public static JsonElement Of(IDictionary<string, JsonElement>? arguments)
    {
        var node = new JsonObject();
        foreach (var (name, value) in arguments ?? new Dictionary<string, JsonElement>())
        {
            node[name] = JsonNode.Parse(value.GetRawText());
        }

        return Of(node);
    }
}
