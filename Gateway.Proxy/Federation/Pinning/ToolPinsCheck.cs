using Gateway.Proxy.Health;

namespace Gateway.Proxy.Federation.Pinning;

/// <summary>
/// Degraded (never unhealthy) while any upstream tool is quarantined or the pin file on disk was rejected. A rug pull
/// on one upstream must not take every replica out of rotation: they all see the same upstream, so failing readiness
/// would turn one held tool into an outage of every other tool; the held tool is already refused where it matters.
/// </summary>
public sealed class ToolPinsCheck(ToolPins pins, ToolQuarantine quarantine) : IReadinessCheck
{
    public string Name => "tool_pins";

    public ValueTask<ReadinessResult> CheckAsync(CancellationToken cancellationToken)
    {
        var held = quarantine.All.OrderBy(t => t.Server, StringComparer.Ordinal).ThenBy(t => t.UpstreamName, StringComparer.Ordinal).ToList();
        var problems = new List<string>();
        if (held.Count > 0)
        {
            problems.Add($"{held.Count} tool(s) quarantined: " + string.Join(", ", held.Select(t => $"{t.Server}/{t.UpstreamName} ({t.ReasonLabel})"))
                + "; review and run 'pins approve'");
        }

        if (pins.PendingFailure is { } failure)
        {
            problems.Add(failure + " The last good pins stay in force.");
        }

        var pinned = pins.Current.Servers.Values.Sum(t => t.Count);
        return ValueTask.FromResult(problems.Count == 0
            ? ReadinessResult.Healthy($"{pinned} approved tool definitions in {pins.Path}")
            : ReadinessResult.Degraded(string.Join("; ", problems)));
    }
}
