using Gateway.Transforms.Pipeline;
using Serilog;

namespace Gateway.Proxy.Observability;

/// <summary>
/// Puts the called tool, and a failed call's error code, on the request's log line (written by Serilog's request logging
/// when the request ends); a failed call raises the line's level (<see cref="RequestLog.GetLevel"/>).
/// </summary>
internal sealed class RequestLogCallObserver(IDiagnosticContext diagnostics) : IGatewayCallObserver
{
    public void OnCallCompleted(in GatewayCallRecord record)
    {
        if (record.ToolName is { } tool)
        {
            diagnostics.Set("Tool", tool);
        }

        if (!record.Succeeded)
        {
            diagnostics.Set("Error", record.ErrorCode ?? record.Rejection?.Code);
            RequestLog.MarkFailed(record.HttpContext);
        }
    }
}
