using Gateway.Proxy.Observability.Audit;
using Gateway.Proxy.Security.Authorization;
using Gateway.Transforms.Pipeline;

namespace Gateway.Proxy.Observability;

/// <summary>Writes one audit line for every tool call (MCP and REST facade) and every REST passthrough call.</summary>
public sealed class AuditCallObserver : IGatewayCallObserver
{
    private readonly IAuditSink _sink;
    private readonly CallerIdentityResolver _callers;

    public AuditCallObserver(IAuditSink sink, CallerIdentityResolver callers)
    {
        _sink = sink;
        _callers = callers;
    }

    public void OnCallCompleted(in GatewayCallRecord record)
    {
        var caller = _callers.Resolve(record.HttpContext.User);
        var call = record.Call;
        _sink.TryWrite(new AuditEntry
        {
            Timestamp = DateTimeOffset.UtcNow,
            RequestId = record.HttpContext.TraceIdentifier,
            User = caller.Subject,
            Tenant = caller.Tenant,
            Method = call?.UpstreamMethod ?? (record.ToolName is not null ? "tools/call" : "http " + record.HttpContext.Request.Method),
            Tool = record.ToolName,
            Status = record.Succeeded ? AuditStatus.Ok : AuditStatus.Error,
            Error = record.Succeeded ? null : record.ErrorCode ?? $"http_{record.StatusCode}",
            LatencyMs = Math.Round(record.Elapsed.TotalMilliseconds, 3),
            SecurityFlags = record.SecurityFlags,
            ArgumentsSha256 = call?.Tool is null ? null : AuditHashing.HashArguments(call.Arguments),
            Route = record.Route?.Config.RouteId,
            Cluster = record.ClusterId,
            Server = call?.Tool?.Upstream?.Server,
            UpstreamTool = call?.Tool?.Upstream?.ToolName,
            HttpStatus = record.StatusCode,
            ApiKeyId = caller.ApiKeyId,
        });
    }
}
