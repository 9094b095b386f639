using System.Text.Json.Nodes;

namespace Gateway.Tests.Infrastructure;

/// <summary>Builds routes.json documents for tests.</summary>
public sealed class RoutesJson
{
    private readonly JsonObject _routes = [];
    private readonly JsonObject _clusters = [];

    public RoutesJson Cluster(string id, params Uri[] destinations)
    {
        var dests = new JsonObject();
        for (var i = 0; i < destinations.Length; i++)
        {
            dests[$"{id}-{i + 1}"] = new JsonObject { ["Address"] = destinations[i].ToString() };
        }

        _clusters[id] = new JsonObject { ["Destinations"] = dests };
        return this;
    }

    public RoutesJson ClusterRaw(string id, string json)
    {
        _clusters[id] = JsonNode.Parse(json);
        return this;
    }

    public RoutesJson Tool(string name, string cluster, string request, string inputSchema = """{"type":"object","properties":{}}""",
        string? extraTransformKeys = null, string? annotations = null, string? outputSchema = null, string? routeExtras = null)
    {
        var transform = JsonNode.Parse("{" + $"\"McpToolRequest\":\"{request}\"" + (extraTransformKeys is null ? "" : "," + extraTransformKeys) + "}")!;
        var tool = new JsonObject
        {
            ["Description"] = $"Test tool {name}",
            ["InputSchema"] = JsonNode.Parse(inputSchema),
        };
        if (annotations is not null)
        {
            tool["Annotations"] = JsonNode.Parse(annotations);
        }

        if (outputSchema is not null)
        {
            tool["OutputSchema"] = JsonNode.Parse(outputSchema);
        }

        var route = new JsonObject
        {
            ["ClusterId"] = cluster,
            ["Tool"] = tool,
            ["Transforms"] = new JsonArray(transform),
        };
        if (routeExtras is not null)
        {
            foreach (var (key, value) in JsonNode.Parse(routeExtras)!.AsObject().ToArray())
            {
                route[key] = value?.DeepClone();
            }
        }

        _routes[name] = route;
        return this;
    }

    public RoutesJson Route(string id, string json)
    {
        _routes[id] = JsonNode.Parse(json);
        return this;
    }

    public override string ToString() => new JsonObject
    {
        ["ReverseProxy"] = new JsonObject { ["Routes"] = _routes.DeepClone(), ["Clusters"] = _clusters.DeepClone() },
    }.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
}
