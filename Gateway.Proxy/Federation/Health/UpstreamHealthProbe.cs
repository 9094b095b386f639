using Gateway.Proxy.Federation.Pinning;
using Gateway.Proxy.Health;
using Gateway.Transforms.Catalog;
using Gateway.Transforms.Federation;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy;

namespace Gateway.Proxy.Federation.Health;

/// <summary>
/// The dual check of one upstream MCP server, as the status runbook does it by hand: the REST side is YARP's view of
/// the upstream cluster's destinations (active and passive health), the MCP side a <c>tools/list</c> on the gateway's
/// own session with it (so it tests the credential, the path and the session the calls use).
/// </summary>
public sealed class UpstreamHealthProbe
{
    private readonly IProxyStateLookup _proxyState;
    private readonly UpstreamRegistry _registry;
    private readonly ToolCatalogHolder _catalog;
    private readonly ToolPins _pins;
    private readonly ToolQuarantine _quarantine;
    private readonly UpstreamHealthOptions _options;

    public UpstreamHealthProbe(
        IProxyStateLookup proxyState, UpstreamRegistry registry, ToolCatalogHolder catalog, ToolPins pins, ToolQuarantine quarantine, IOptions<UpstreamHealthOptions> options)
    {
        _proxyState = proxyState;
        _registry = registry;
        _catalog = catalog;
        _pins = pins;
        _quarantine = quarantine;
        _options = options.Value;
    }

    public async Task<UpstreamHealthReport> ProbeAsync(UpstreamDefinition upstream, DateTimeOffset? lastMcpSuccess, CancellationToken cancellationToken)
    {
        var (restSuccess, restDetail) = CheckRest(upstream);
        var expected = Expected(upstream);
        IReadOnlyList<string> listed = [];
        string? error = null;
        if (!_registry.TryGetSession(upstream.Server, out var session))
        {
            error = "the gateway has no session with it (removed from routes.json)";
        }
        else
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.Timeout);
            try
            {
                var tools = await session.ListToolsAsync(timeout.Token);
                listed = [.. tools.Select(t => t.Name).Where(upstream.Filter.Allows).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                error = $"tools/list did not answer within {_options.Timeout.TotalSeconds:0.#} s";
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
            {
                error = ex.Message;
            }
        }

        var now = DateTimeOffset.UtcNow;
        var success = error is null;
        var listedSet = listed.ToHashSet(StringComparer.Ordinal);
        var missing = expected.Where(t => !listedSet.Contains(t)).Order(StringComparer.Ordinal).ToList();
        return new UpstreamHealthReport(upstream.Server, success, restSuccess, missing, listed, error, restDetail, now, success ? now : lastMcpSuccess);
    }

    /// <summary>The tools the upstream should list: the approved ones, and those the catalog has (or holds) from its earlier listings.</summary>
    private HashSet<string> Expected(UpstreamDefinition upstream)
    {
        var expected = _pins.Current.ToolsOf(upstream.Server).Where(upstream.Filter.Allows).ToHashSet(StringComparer.Ordinal);
        foreach (var tool in _catalog.Current.Tools)
        {
            if (tool.Upstream is { } target && target.Server == upstream.Server)
            {
                expected.Add(target.ToolName);
            }
        }

        foreach (var held in _quarantine.Of(upstream.Server))
        {
            expected.Add(held.UpstreamName);
        }

        return expected;
    }

    private (bool? Success, string Detail) CheckRest(UpstreamDefinition upstream)
    {
        if (upstream.Declaration.Process is not null)
        {
            return (null, "Stdio upstream: no HTTP side to check");
        }

        if (!_proxyState.TryGetCluster(upstream.ClusterId, out var cluster))
        {
            return (false, $"cluster '{upstream.ClusterId}' is not loaded");
        }

        if (cluster.Destinations.Count == 0)
        {
            return (false, $"cluster '{upstream.ClusterId}' has no destinations");
        }

        var available = ClusterHealth.IsAvailable(cluster);
        return (available, available
            ? $"cluster '{upstream.ClusterId}': a destination is not known to be unhealthy"
            : $"cluster '{upstream.ClusterId}': every destination is unhealthy (active or passive health)");
    }
}
