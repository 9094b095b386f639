using System.Collections.Concurrent;
using Gateway.Proxy.Observability.Metrics;
using Yarp.ReverseProxy;

namespace Gateway.Proxy.Health;

/// <summary>
/// The second of the two health checks of an MCP backend: besides YARP's HTTP health check (<c>mcp_backend_up</c>),
/// every <see cref="Interval"/> each cluster with <c>Gateway.Mcp.Endpoint</c> is asked for <c>tools/list</c>
/// (<c>mcp_backend_mcp_up</c>, <c>mcp_backend_missing_tools</c>). Both failing means the server is down; one failing
/// means the monitoring is degraded (or the MCP layer is broken behind a live HTTP port).
/// </summary>
public sealed partial class McpBackendMonitor : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private readonly IProxyStateLookup _proxyState;
    private readonly McpBackendProbe _probe;
    private readonly ILogger<McpBackendMonitor> _logger;
    private readonly ConcurrentDictionary<string, McpBackendHealth> _last = new(StringComparer.Ordinal);

    public McpBackendMonitor(IProxyStateLookup proxyState, McpBackendProbe probe, GatewayMetrics metrics, ILogger<McpBackendMonitor> logger)
    {
        _proxyState = proxyState;
        _probe = probe;
        _logger = logger;
        metrics.ObserveMcpBackends(Current);
    }

    /// <summary>The last probe of each MCP cluster that is still configured.</summary>
    public IEnumerable<KeyValuePair<string, McpBackendHealth>> Current()
    {
        foreach (var cluster in _proxyState.GetClusters())
        {
            if (_last.TryGetValue(cluster.ClusterId, out var health) && McpBackendProbe.Applies(cluster))
            {
                yield return KeyValuePair.Create(cluster.ClusterId, health);
            }
        }
    }

    /// <summary>Probes every MCP cluster once.</summary>
    public async Task ProbeAllAsync(CancellationToken cancellationToken)
    {
        foreach (var cluster in _proxyState.GetClusters().Where(McpBackendProbe.Applies).ToList())
        {
            var result = await _probe.ProbeAsync(cluster, cancellationToken);
            var health = new McpBackendHealth(result.Reachable, result.MissingTools.Count);
            var had = _last.TryGetValue(cluster.ClusterId, out var previous);
            _last[cluster.ClusterId] = health;
            if (!result.Reachable && (!had || previous.McpUp))
            {
                Log.ProbeFailed(_logger, cluster.ClusterId, result.Error ?? "unknown error");
            }
            else if (result.Reachable && had && !previous.McpUp)
            {
                Log.ProbeRecovered(_logger, cluster.ClusterId);
            }

            if (result.Reachable && result.MissingTools.Count > 0 && (!had || previous.MissingTools != result.MissingTools.Count))
            {
                Log.ToolsMissing(_logger, cluster.ClusterId, string.Join(',', result.MissingTools));
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            do
            {
                await ProbeAllAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3350, Level = LogLevel.Warning, Message = "MCP backend {ClusterId} did not answer tools/list: {Error}")]
        public static partial void ProbeFailed(ILogger logger, string clusterId, string error);

        [LoggerMessage(EventId = 3351, Level = LogLevel.Information, Message = "MCP backend {ClusterId} answers tools/list again")]
        public static partial void ProbeRecovered(ILogger logger, string clusterId);

        [LoggerMessage(EventId = 3352, Level = LogLevel.Warning, Message = "MCP backend {ClusterId} lacks expected tools: {MissingTools}")]
        public static partial void ToolsMissing(ILogger logger, string clusterId, string missingTools);
    }
}
