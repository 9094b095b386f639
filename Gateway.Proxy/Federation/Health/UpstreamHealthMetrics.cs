using System.Diagnostics.Metrics;
using Gateway.Proxy.Federation.Pinning;
using Gateway.Proxy.Observability.Metrics;
using Gateway.Transforms.Federation;

namespace Gateway.Proxy.Federation.Health;

/// <summary>
/// The upstream gauges, on the gateway's meter: <c>mcp_upstream_check_success{server,check}</c> (check = mcp or rest;
/// rest only for upstreams with a cluster), <c>mcp_upstream_missing_tools{server}</c>,
/// <c>mcp_upstream_status{server}</c> (0 healthy, 1 degraded, 2 unhealthy), all from the last dual check; and
/// <c>mcp_tools_quarantined{server,reason}</c>, at 0 for every configured upstream from the start.
/// </summary>
public sealed class UpstreamHealthMetrics
{
    private static readonly string[] s_reasons = ["definition_changed", "not_approved"];

    private readonly UpstreamDefinitions _definitions;
    private readonly ToolQuarantine _quarantine;
    private Func<IReadOnlyList<UpstreamHealthReport>>? _reports;

    public UpstreamHealthMetrics(IMeterFactory meterFactory, UpstreamDefinitions definitions, ToolQuarantine quarantine)
    {
        _definitions = definitions;
        _quarantine = quarantine;

        // The factory hands out the one gateway meter for this name, so these series are exported with the others.
        var meter = meterFactory.Create(new MeterOptions(GatewayMetrics.MeterName));
        meter.CreateObservableGauge("mcp_upstream_check_success", ObserveChecks,
            description: "1 when the upstream MCP server passed the check at its last dual health check, else 0: check=mcp (tools/list on the gateway's session), check=rest (its cluster's destination health).");
        meter.CreateObservableGauge("mcp_upstream_missing_tools", () => ObserveReports(r => r.MissingTools.Count),
            description: "Expected tools (pinned, or listed before) the upstream did not list at its last health check.");
        meter.CreateObservableGauge("mcp_upstream_status", () => ObserveReports(r => (int)r.Overall),
            description: "Overall status of the upstream at its last dual health check: 0 healthy, 1 degraded (one check fails or tools are missing), 2 unhealthy.");
        meter.CreateObservableGauge("mcp_tools_quarantined", ObserveQuarantined,
            description: "Upstream tools held back by tool-definition pinning, by reason: definition_changed (differs from the approved one) or not_approved.");
    }

    public void Observe(Func<IReadOnlyList<UpstreamHealthReport>> reports) => _reports = reports;

    private IEnumerable<Measurement<int>> ObserveChecks()
    {
        foreach (var report in Reports())
        {
            yield return new Measurement<int>(report.McpSuccess ? 1 : 0, new("server", report.Server), new("check", "mcp"));
            if (report.RestSuccess is { } rest)
            {
                yield return new Measurement<int>(rest ? 1 : 0, new("server", report.Server), new("check", "rest"));
            }
        }
    }

    private IEnumerable<Measurement<int>> ObserveReports(Func<UpstreamHealthReport, int> value) =>
        Reports().Select(r => new Measurement<int>(value(r), new KeyValuePair<string, object?>("server", r.Server)));

    private IReadOnlyList<UpstreamHealthReport> Reports()
    {
        try
        {
            return _reports?.Invoke() ?? [];
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // One failing source must not break the scrape of every other metric.
            return [];
        }
    }

    private IEnumerable<Measurement<int>> ObserveQuarantined()
    {
        var held = _quarantine.All.ToList();
        foreach (var upstream in _definitions.Current)
        {
            foreach (var reason in s_reasons)
            {
                var count = held.Count(t => t.Server == upstream.Server && t.ReasonLabel == reason);
                yield return new Measurement<int>(count, new("server", upstream.Server), new("reason", reason));
            }
        }
    }
}
