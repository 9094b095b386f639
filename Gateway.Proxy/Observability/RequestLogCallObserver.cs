using Gateway.Transforms.Pipeline;
using Serilog;

namespace Gateway.Proxy.Observability;

/// <summary>Puts the called tool on the request's log line (written by Serilog's request logging when the request ends).</summary>
internal sealed class RequestLogCallObserver(IDiagnosticContext diagnostics) : IGatewayCallObserver
{
    public void OnCallCompleted(in GatewayCallRecord record)
    {
        if (record.ToolName is { } tool)
        {
            diagnostics.Set("Tool", tool);
        }
    }
}
