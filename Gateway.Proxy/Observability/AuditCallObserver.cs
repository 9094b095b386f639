using System.Security.Claims;
using Gateway.Proxy.Observability.Audit;
using Gateway.Proxy.Security.Authentication;
using Gateway.Transforms.Pipeline;

namespace Gateway.Proxy.Observability;

/// <summary>Writes one audit line for every tool call (MCP and REST facade) and every REST passthrough call.</summary>
public sealed class AuditCallObserver : IGatewayCallObserver
{
    private readonly IAuditSink _sink;

    public AuditCallObserver(IAuditSink sink) => _sink = sink;

    public void OnCallCompleted(in GatewayCallRecord record)
    {
        var user = record.HttpContext.User;
        var toolCall = record.ToolCall;
        _sink.TryWrite(new AuditEntry
        {
            Timestamp = DateTimeOffset.UtcNow,
            RequestId = record.HttpContext.TraceIdentifier,
            User = Claim(user, "sub") ?? Claim(user, ClaimTypes.NameIdentifier),
            Tenant = Claim(user, "tenant"),
            Method = record.ToolName is not null ? "tools/call" : "http " + record.HttpContext.Request.Method,
            Tool = record.ToolName,
            Status = record.Succeeded ? AuditStatus.Ok : AuditStatus.Error,
            Error = record.Succeeded ? null : record.ErrorCode ?? $"http_{record.StatusCode}",
            LatencyMs = Math.Round(record.Elapsed.TotalMilliseconds, 3),
            SecurityFlags = record.Call.SecurityFlags,
            ArgumentsSha256 = toolCall is null ? null : AuditHashing.HashArguments(toolCall.Arguments),
            Route = record.Route?.Config.RouteId,
            Cluster = record.ClusterId,
            HttpStatus = record.StatusCode,
            ApiKeyId = user.Identity?.AuthenticationType == GatewayAuthenticationSchemes.ApiKey ? Claim(user, ApiKeyAuthenticationHandler.KeyIdClaim) : null,
        });
    }

    private static string? Claim(ClaimsPrincipal user, string type) => user.FindFirst(type)?.Value;
}
