using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using Gateway.Transforms.Catalog;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Federation;

/// <summary>routes.json documents with a <c>Federation</c> section, and waiting for upstream tools to reach the catalog.</summary>
public static class FederatedRoutes
{
    /// <summary>A breaker that opens after four calls with half failed, no retries and a short upstream connect timeout.</summary>
    public static Dictionary<string, string?> BreakerAfterFourCalls() => new()
    {
        ["Gateway:Resilience:CircuitBreaker:MinimumThroughput"] = "4",
        ["Gateway:Resilience:CircuitBreaker:FailureRatio"] = "0.5",
        ["Gateway:Resilience:CircuitBreaker:BreakDuration"] = "00:01:00",
        ["Gateway:Resilience:Retry:MaxRetries"] = "0",
        ["Gateway:Federation:ConnectTimeout"] = "00:00:02",
    };

    /// <summary><paramref name="routes"/> (a RoutesJson document) plus an upstream cluster per entry and the Federation section.</summary>
    public static string With(RoutesJson routes, params (string Server, Uri Address, string Entry)[] upstreams)
    {
        foreach (var (server, address, _) in upstreams)
        {
            routes.Cluster(server + "-cluster", address);
        }

        var document = JsonNode.Parse(routes.ToString())!.AsObject();
        var entries = new JsonObject();
        foreach (var (server, _, entry) in upstreams)
        {
            var node = JsonNode.Parse(entry)!.AsObject();
            if (!string.Equals((string?)node["Transport"], "Stdio", StringComparison.OrdinalIgnoreCase))
            {
                node["ClusterId"] ??= server + "-cluster";
            }
            entries[server] = node;
        }

        document["Federation"] = new JsonObject { ["Upstreams"] = entries };
        return document.ToJsonString();
    }

    public static async Task WaitForToolAsync(IServiceProvider services, string name, bool present = true)
    {
        var catalog = services.GetRequiredService<ToolCatalogHolder>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (catalog.Current.TryGet(name, out _) != present)
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"tool '{name}' did not {(present ? "appear in" : "leave")} the catalog within 20 s; it has: {string.Join(", ", catalog.Current.Tools.Select(t => t.Name))}");
            }

            await Task.Delay(50);
        }
    }
}
