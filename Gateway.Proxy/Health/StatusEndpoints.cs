using System.Text.Json;
using Gateway.Proxy.Federation.Health;
using Gateway.Proxy.Hosting;
using Gateway.Proxy.Observability;
using Gateway.Proxy.Observability.Audit;
using Gateway.Transforms.Catalog;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace Gateway.Proxy.Health;

/// <summary><c>/status/servers</c>, <c>/status/servers/{cluster}</c> and <c>/status/metrics</c>: the operator's view per backend.</summary>
public static class StatusEndpoints
{
    public static IEndpointRouteBuilder MapStatus(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/status/servers", async (HttpContext context, IProxyStateLookup state, ClusterStatistics stats, ToolCatalogHolder catalog) =>
        {
            await WriteJsonAsync(context, writer =>
            {
                writer.WriteStartObject();
                writer.WriteStartArray("servers");
                foreach (var cluster in state.GetClusters().OrderBy(c => c.ClusterId, StringComparer.Ordinal))
                {
                    WriteCluster(writer, cluster, stats, catalog, context.RequestServices.GetService<IClusterCircuitState>());
                }

                writer.WriteEndArray();
                if (context.RequestServices.GetService<UpstreamStatus>() is { } upstreams)
                {
                    upstreams.WriteOverview(writer);
                }

                writer.WriteEndObject();
            });
        }).AsOperatorEndpoint();

        endpoints.MapGet("/status/servers/{cluster}", async (HttpContext context, string cluster, IProxyStateLookup state, ClusterStatistics stats, ToolCatalogHolder catalog, McpBackendProbe probe) =>
        {
            // A Federation upstream is looked up by its server name first; its view adds the dual check to its cluster's.
            if (context.RequestServices.GetService<UpstreamStatus>() is { } upstreams
                && await upstreams.CheckAsync(cluster, context.RequestAborted) is { } upstream)
            {
                await WriteJsonAsync(context, writer =>
                {
                    if (upstream.ClusterId is { } clusterId && state.TryGetCluster(clusterId, out var upstreamCluster))
                    {
                        WriteCluster(writer, upstreamCluster, stats, catalog, context.RequestServices.GetService<IClusterCircuitState>(), extra: upstream.Write);
                    }
                    else
                    {
                        writer.WriteStartObject();
                        upstream.Write(writer);
                        writer.WriteEndObject();
                    }
                });
                return;
            }

            if (!state.TryGetCluster(cluster, out var model))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                await WriteJsonAsync(context, writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteString("error", "NotFound");
                    writer.WriteString("message", "No such cluster or upstream MCP server. GET /status/servers lists them.");
                    writer.WriteEndObject();
                });
                return;
            }

            // Only the per-cluster view probes MCP backends: the overview must stay cheap.
            var mcp = McpBackendProbe.Applies(model) ? await probe.ProbeAsync(model, context.RequestAborted) : null;
            await WriteJsonAsync(context, writer => WriteCluster(writer, model, stats, catalog, context.RequestServices.GetService<IClusterCircuitState>(), mcp));
        }).AsOperatorEndpoint();

        endpoints.MapGet("/status/metrics", async (HttpContext context, IProxyStateLookup state, ClusterStatistics stats, ToolCatalogHolder catalog, AuditTrail audit) =>
        {
            await WriteJsonAsync(context, writer =>
            {
                var counters = audit.Counters;
                writer.WriteStartObject();
                writer.WriteNumber("tools", catalog.Current.Tools.Count);
                writer.WriteNumber("config_generation", catalog.Current.Generation);
                writer.WriteStartObject("audit");
                writer.WriteNumber("submitted", counters.Submitted);
                writer.WriteNumber("written", counters.Written);
                writer.WriteNumber("forwarded", counters.Forwarded);
                writer.WriteNumber("dropped", counters.Dropped);
                writer.WriteNumber("failed", counters.Failed);
                writer.WriteEndObject();
                writer.WriteStartObject("clusters");
                foreach (var cluster in state.GetClusters().OrderBy(c => c.ClusterId, StringComparer.Ordinal))
                {
                    var s = stats.Get(cluster.ClusterId);
                    writer.WriteStartObject(cluster.ClusterId);
                    writer.WriteBoolean("up", ClusterHealth.IsAvailable(cluster));
                    writer.WriteNumber("requests", s.Requests);
                    writer.WriteNumber("failures", s.Failures);
                    writer.WriteNumber("success_rate", s.SuccessRate);
                    writer.WriteNumber("avg_response_ms", s.AverageResponseMs);
                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            });
        }).AsOperatorEndpoint();

        return endpoints;
    }

    private static void WriteCluster(Utf8JsonWriter writer, ClusterState cluster, ClusterStatistics stats, ToolCatalogHolder catalog, IClusterCircuitState? circuits, McpProbeResult? mcp = null, Action<Utf8JsonWriter>? extra = null)
    {
        var s = stats.Get(cluster.ClusterId);
        writer.WriteStartObject();
        writer.WriteString("cluster", cluster.ClusterId);
        writer.WriteString("status", ClusterHealth.IsAvailable(cluster) ? "up" : "down");
        writer.WriteString("circuit_state", circuits?.StateOf(cluster.ClusterId) ?? "closed");
        writer.WriteNumber("requests", s.Requests);
        writer.WriteNumber("failures", s.Failures);
        writer.WriteNumber("success_rate", s.SuccessRate);
        writer.WriteNumber("avg_response_ms", s.AverageResponseMs);
        writer.WriteStartArray("destinations");
        foreach (var destination in cluster.Destinations.Values.OrderBy(d => d.DestinationId, StringComparer.Ordinal))
        {
            writer.WriteStartObject();
            writer.WriteString("id", destination.DestinationId);
            writer.WriteString("address", destination.Model.Config.Address);
            writer.WriteString("active_health", ClusterHealth.Describe(destination.Health.Active));
            writer.WriteString("passive_health", ClusterHealth.Describe(destination.Health.Passive));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("tools");
        foreach (var tool in catalog.Current.Tools)
        {
            if (string.Equals(tool.ClusterId, cluster.ClusterId, StringComparison.OrdinalIgnoreCase))
            {
                writer.WriteStringValue(tool.Name);
            }
        }

        writer.WriteEndArray();
        if (mcp is not null)
        {
            writer.WriteStartObject("mcp");
            writer.WriteBoolean("reachable", mcp.Reachable);
            writer.WriteStartArray("tools");
            foreach (var tool in mcp.Tools)
            {
                writer.WriteStringValue(tool);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("missing_tools");
            foreach (var tool in mcp.MissingTools)
            {
                writer.WriteStringValue(tool);
            }

            writer.WriteEndArray();
            if (mcp.Error is not null)
            {
                writer.WriteString("error", mcp.Error);
            }

            writer.WriteEndObject();
        }

        extra?.Invoke(writer);
        writer.WriteEndObject();
    }

    private static async Task WriteJsonAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await using (var writer = new Utf8JsonWriter(context.Response.Body, new JsonWriterOptions { Indented = true }))
        {
            write(writer);
        }
    }
}
