using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol.Client;
using Yarp.ReverseProxy.Model;

namespace Gateway.Proxy.Health;

/// <summary>
/// For clusters whose backends speak MCP themselves (cluster metadata <c>Gateway.Mcp.Endpoint</c>, e.g. <c>/mcp</c>),
/// lists the backend's tools and compares them with <c>Gateway.Mcp.ExpectedTools</c>, so /status/servers can say
/// which expected tools a backend has lost.
/// </summary>
public sealed class McpBackendProbe
{
    public const string EndpointMetadataKey = "Gateway.Mcp.Endpoint";
    public const string ExpectedToolsMetadataKey = "Gateway.Mcp.ExpectedTools";

    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(3);

    public static bool Applies(ClusterState cluster) =>
        cluster.Model.Config.Metadata?.ContainsKey(EndpointMetadataKey) == true;

    public async Task<McpProbeResult> ProbeAsync(ClusterState cluster, CancellationToken cancellationToken)
    {
        var metadata = cluster.Model.Config.Metadata!;
        var expected = metadata.TryGetValue(ExpectedToolsMetadataKey, out var list)
            ? list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : [];
        var destination = cluster.DestinationsState.AvailableDestinations.FirstOrDefault() ?? cluster.Destinations.Values.FirstOrDefault();
        if (destination is null)
        {
            return new McpProbeResult(false, [], expected, "no destination");
        }

        var endpoint = new Uri(new Uri(destination.Model.Config.Address), metadata[EndpointMetadataKey].TrimStart('/'));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_timeout);
        try
        {
            await using var client = await McpClient.CreateAsync(
                new HttpClientTransport(new HttpClientTransportOptions { Endpoint = endpoint, TransportMode = HttpTransportMode.StreamableHttp }, NullLoggerFactory.Instance),
                loggerFactory: NullLoggerFactory.Instance,
                cancellationToken: timeout.Token);
            var tools = (await client.ListToolsAsync(cancellationToken: timeout.Token)).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
            return new McpProbeResult(true, [.. tools.Order(StringComparer.Ordinal)], [.. expected.Where(e => !tools.Contains(e))], null);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return new McpProbeResult(false, [], expected, timeout.IsCancellationRequested ? "timed out" : ex.Message);
        }
    }
}

public sealed record McpProbeResult(bool Reachable, IReadOnlyList<string> Tools, IReadOnlyList<string> MissingTools, string? Error);
