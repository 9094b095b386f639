using System.Text.Json;
using Gateway.Proxy.Federation.Pinning;
using Gateway.Transforms.Federation;

namespace Gateway.Proxy.Federation.Health;

/// <summary>
/// The upstream part of <c>/status/servers</c> (the last dual check of each, without probing) and of
/// <c>/status/servers/{name}</c> (a dual check run now): <c>mcp_success</c>, <c>rest_success</c>,
/// <c>overall_status</c>, <c>missing_tools</c>, the quarantined tools and the timestamps.
/// </summary>
public sealed class UpstreamStatus(UpstreamDefinitions definitions, UpstreamHealthMonitor monitor, ToolQuarantine quarantine)
{
    /// <summary>Checks the upstream named <paramref name="server"/> now; null when there is none.</summary>
    public async Task<UpstreamStatusView?> CheckAsync(string server, CancellationToken cancellationToken)
    {
        var upstream = definitions.Current.FirstOrDefault(u => u.Server == server);
        if (upstream is null || await monitor.ProbeAsync(server, cancellationToken) is not { } report)
        {
            return null;
        }

        return new UpstreamStatusView(upstream, report, quarantine.Of(server));
    }

    public void WriteOverview(Utf8JsonWriter writer)
    {
        writer.WriteStartArray("upstreams");
        foreach (var upstream in definitions.Current.OrderBy(u => u.Server, StringComparer.Ordinal))
        {
            writer.WriteStartObject();
            new UpstreamStatusView(upstream, monitor.Last(upstream.Server), quarantine.Of(upstream.Server)).Write(writer);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}

/// <summary>One upstream's status fields; <see cref="Report"/> is null before its first check.</summary>
public sealed record UpstreamStatusView(UpstreamDefinition Upstream, UpstreamHealthReport? Report, IReadOnlyCollection<QuarantinedTool> Quarantined)
{
    public string? ClusterId => Upstream.Declaration.Process is null ? Upstream.ClusterId : null;

    public void Write(Utf8JsonWriter writer)
    {
        writer.WriteString("server", Upstream.Server);
        writer.WriteString("transport", Upstream.Declaration.Transport.ToString());
        if (Report is null)
        {
            writer.WriteNull("mcp_success");
            writer.WriteNull("rest_success");
            writer.WriteString("overall_status", "unknown");
        }
        else
        {
            writer.WriteBoolean("mcp_success", Report.McpSuccess);
            if (Report.RestSuccess is { } rest)
            {
                writer.WriteBoolean("rest_success", rest);
            }
            else
            {
                writer.WriteNull("rest_success");
            }

            writer.WriteString("overall_status", Report.OverallText);
        }

        writer.WriteStartArray("missing_tools");
        foreach (var tool in Report?.MissingTools ?? [])
        {
            writer.WriteStringValue(tool);
        }

        writer.WriteEndArray();
        if (Report is not null)
        {
            writer.WriteStartArray("listed_tools");
            foreach (var tool in Report.ListedTools)
            {
                writer.WriteStringValue(tool);
            }

            writer.WriteEndArray();
            if (Report.McpError is { } error)
            {
                writer.WriteString("mcp_error", error);
            }

            if (Report.RestDetail is { } detail)
            {
                writer.WriteString("rest_detail", detail);
            }

            writer.WriteString("checked_at", Report.CheckedAt);
            if (Report.LastMcpSuccessAt is { } at)
            {
                writer.WriteString("last_mcp_success_at", at);
            }
            else
            {
                writer.WriteNull("last_mcp_success_at");
            }
        }

        writer.WriteStartArray("quarantined_tools");
        foreach (var held in Quarantined.OrderBy(t => t.UpstreamName, StringComparer.Ordinal))
        {
            writer.WriteStartObject();
            writer.WriteString("tool", held.Tool.Name);
            writer.WriteString("upstream_tool", held.UpstreamName);
            writer.WriteString("reason", held.ReasonLabel);
            writer.WriteString("current_sha256", held.CurrentSha256);
            if (held.Pin is { } pin)
            {
                writer.WriteString("approved_sha256", pin.Sha256);
                writer.WriteString("approved_at", pin.ApprovedAt);
            }

            writer.WriteString("approve_command", held.ApproveCommand);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
