using Microsoft.AspNetCore.Http;

namespace Gateway.Transforms.Pipeline;

/// <summary>
/// Applies a rejection raised inside YARP's pipeline (a validating transform, the resilience layer) the same way
/// wherever it is raised: recorded on the call, with its status on the exchange so YARP forwards nothing more. The
/// entry point answers the caller: the dispatcher renders a tool call's result, the passthrough middleware writes the
/// error response.
/// </summary>
public static class Rejections
{
    public static ValueTask RejectAsync(HttpContext context, GatewayRejection rejection)
    {
        var call = context.Features.Get<GatewayCall>()
            ?? throw new InvalidOperationException("A rejection was raised outside the call pipeline; every proxied request is a GatewayCall.");
        call.Reject(rejection);
        context.Response.StatusCode = rejection.StatusCode;
        return default;
    }
}
