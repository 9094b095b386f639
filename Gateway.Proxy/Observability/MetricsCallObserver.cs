using Gateway.Proxy.Observability.Metrics;
using Gateway.Transforms.Pipeline;

namespace Gateway.Proxy.Observability;

/// <summary>Feeds the per-call metrics (<c>mcp_requests_total</c>, durations, validation rejections) and per-cluster statistics.</summary>
public sealed class MetricsCallObserver : IGatewayCallObserver
{
    private readonly GatewayMetrics _metrics;
    private readonly ClusterStatistics _clusters;

    public MetricsCallObserver(GatewayMetrics metrics, ClusterStatistics clusters)
    {
        _metrics = metrics;
        _clusters = clusters;
    }

    public void OnCallCompleted(in GatewayCallRecord record)
    {
        // Label values stay bounded: tool names come from the catalog; refused unknown names collapse to one value.
        var tool = record.Call?.Tool?.Name ?? (record.ToolName is null ? "(http)" : "(unknown)");
        var server = record.Call?.Tool?.Upstream?.Server;
        _metrics.RecordMcpRequest(tool, record.Succeeded, record.Elapsed, server);
        if (record.Call is { Tool: not null, UpstreamMethod: null })
        {
            _metrics.RecordToolCall(tool, server);
        }

        if (record.Rejection?.Code is { } code && ValidatorOf(code) is { } validator)
        {
            _metrics.RecordValidationRejection(validator);
        }

        if (record.ClusterId is { } cluster && record.Rejection is null)
        {
            _clusters.Record(cluster, record.Succeeded, record.Elapsed);
        }
    }

    private static string? ValidatorOf(string code) => code switch
    {
        GatewayErrorCodes.InvalidArguments => "schema",
        GatewayErrorCodes.CypherValidationError => "cypher",
        GatewayErrorCodes.PathValidationError => "path",
        GatewayErrorCodes.LimitExceeded => "limits",
        _ => null,
    };
}
