using Microsoft.AspNetCore.Http;

namespace Gateway.Transforms.Pipeline;

/// <summary>
/// Applies a rejection the same way wherever it is raised (a pipeline step or a validating transform): recorded for
/// audit and metrics, handed to the MCP layer for tool calls, written as a JSON error for REST callers.
/// </summary>
public static class Rejections
{
    public static ValueTask RejectAsync(HttpContext context, GatewayRejection rejection)
    {
        if (context.Features.Get<GatewayCallFeature>() is { } call && call.Rejection is null)
        {
            call.Rejection = rejection;
            if (rejection.SecurityFlag is { } flag)
            {
                call.AddSecurityFlag(flag);
            }
        }

        if (context.Features.Get<ToolCallFeature>() is { } toolCall)
        {
            toolCall.Rejection = rejection;
            context.Response.StatusCode = rejection.StatusCode;
            return default;
        }

        return new ValueTask(RejectionWriter.WriteAsync(context, rejection));
    }
}
