using System.Collections.Concurrent;
using Gateway.Transforms.Federation;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Federation.Health;

/// <summary>
/// Runs <see cref="UpstreamHealthProbe"/> on every upstream of the serving routes.json every
/// <see cref="UpstreamHealthOptions.Interval"/> (and on demand for <c>/status/servers/{name}</c>), keeps the last report
/// of each for the status pages and metrics, and logs when a check starts or stops failing.
/// </summary>
public sealed partial class UpstreamHealthMonitor : BackgroundService
{
    private readonly UpstreamDefinitions _definitions;
    private readonly UpstreamHealthProbe _probe;
    private readonly UpstreamHealthOptions _options;
    private readonly ILogger<UpstreamHealthMonitor> _logger;
    private readonly ConcurrentDictionary<string, UpstreamHealthReport> _last = new(StringComparer.Ordinal);

    public UpstreamHealthMonitor(
        UpstreamDefinitions definitions, UpstreamHealthProbe probe, IOptions<UpstreamHealthOptions> options, UpstreamHealthMetrics metrics, ILogger<UpstreamHealthMonitor> logger)
    {
        _definitions = definitions;
        _probe = probe;
        _options = options.Value;
        _logger = logger;
        metrics.Observe(Current);
    }

    /// <summary>The last report of each upstream that is still configured, in name order.</summary>
    public IReadOnlyList<UpstreamHealthReport> Current() =>
        [.. _definitions.Current.Select(u => _last.GetValueOrDefault(u.Server)).OfType<UpstreamHealthReport>().OrderBy(r => r.Server, StringComparer.Ordinal)];

    public UpstreamHealthReport? Last(string server) => _last.GetValueOrDefault(server);

    /// <summary>Checks one upstream now; null when no upstream has that name.</summary>
    public async Task<UpstreamHealthReport?> ProbeAsync(string server, CancellationToken cancellationToken)
    {
        var upstream = _definitions.Current.FirstOrDefault(u => u.Server == server);
        return upstream is null ? null : await ProbeAsync(upstream, cancellationToken);
    }

    public async Task ProbeAllAsync(CancellationToken cancellationToken)
    {
        foreach (var upstream in _definitions.Current)
        {
            await ProbeAsync(upstream, cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.Interval);
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

    private async Task<UpstreamHealthReport> ProbeAsync(UpstreamDefinition upstream, CancellationToken cancellationToken)
    {
        var had = _last.TryGetValue(upstream.Server, out var previous);
        var report = await _probe.ProbeAsync(upstream, previous?.LastMcpSuccessAt, cancellationToken);
        _last[upstream.Server] = report;
        if (!report.McpSuccess && (!had || previous!.McpSuccess))
        {
            Log.McpCheckFailed(_logger, upstream.Server, report.McpError ?? "unknown error", string.Join(',', report.MissingTools));
        }
        else if (report.McpSuccess && had && !previous!.McpSuccess)
        {
            Log.McpCheckRecovered(_logger, upstream.Server);
        }

        if (report.McpSuccess && report.MissingTools.Count > 0 && (!had || !previous!.MissingTools.SequenceEqual(report.MissingTools)))
        {
            Log.ToolsMissing(_logger, upstream.Server, string.Join(',', report.MissingTools));
        }

        return report;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3445, Level = LogLevel.Warning, Message = "Upstream '{Server}': the MCP health check failed (tools/list: {Error}); expected tools not confirmed: {MissingTools}")]
        public static partial void McpCheckFailed(ILogger logger, string server, string error, string missingTools);

        [LoggerMessage(EventId = 3446, Level = LogLevel.Information, Message = "Upstream '{Server}': the MCP health check passes again")]
        public static partial void McpCheckRecovered(ILogger logger, string server);

        [LoggerMessage(EventId = 3447, Level = LogLevel.Warning, Message = "Upstream '{Server}' answers tools/list but lacks expected tools: {MissingTools}")]
        public static partial void ToolsMissing(ILogger logger, string server, string missingTools);
    }
}
