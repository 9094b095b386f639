using Gateway.Transforms.Pipeline;

namespace Gateway.Proxy.Observability;

/// <summary>
/// Notes the called tool, and a failed call's error code, for the request's log line (written by Serilog's request
/// logging when the request ends); a failed call raises the line's level (<see cref="RequestLog.GetLevel"/>).
/// </summary>
internal sealed class RequestLogCallObserver : IGatewayCallObserver
{
    public void OnCallCompleted(in GatewayCallRecord record) =>
        RequestLog.NoteCall(record.HttpContext, record.ToolName, record.Succeeded ? null : record.ErrorCode ?? record.Rejection?.Code ?? "");
}
