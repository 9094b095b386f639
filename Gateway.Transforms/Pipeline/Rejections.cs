using Microsoft.AspNetCore.Http;

namespace Gateway.Transforms.Pipeline;

/// <summary>
/// Applies a rejection raised inside YARP's pipeline (a validating transform, the resilience layer) the same way
/// wherever it is raised: recorded on the call, rendered by the entry point for tool calls, written as a JSON error
/// for REST passthrough callers.
/// </summary>
public static class Rejections
{
    public static ValueTask RejectAsync(HttpContext context, GatewayRejection rejection)
    {
        var call = context.Features.Get<GatewayCall>();
        call?.Reject(rejection);
        if (call?.Tool is not null)
        {
            context.Response.StatusCode = rejection.StatusCode;
            return default;
        }

        return new ValueTask(RejectionWriter.WriteAsync(context, rejection));
    }
}
