using Gateway.Proxy.Mcp;
using Gateway.Proxy.Security.Authentication;
using Gateway.Proxy.Security.Metadata;
using Gateway.Transforms.Pipeline;

namespace Gateway.Proxy.RateLimiting;

/// <summary>
/// Runs once the caller is known (after authentication) and before anything can refuse the request (the
/// authentication gate, the MCP and REST endpoints, routing). A caller whose refusal budget is spent gets 429 before any
/// work; afterwards, a refusal nobody charged yet (transport errors, failed authentication, unknown paths and sessions,
/// gateway rejections of passthrough calls) is charged. Answers of a backend are never the caller's refusals.
/// </summary>
public sealed class RefusalLimitMiddleware
{
    private readonly RequestDelegate _next;
    private readonly RefusalLimiter _limiter;
    private readonly AnonymousPaths _anonymous;

    public RefusalLimitMiddleware(RequestDelegate next, RefusalLimiter limiter, AnonymousPaths anonymous)
    {
        _next = next;
        _limiter = limiter;
        _anonymous = anonymous;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (_anonymous.Matches(context.Request.Path))
        {
            await _next(context);
            return;
        }

        if (_limiter.IsBlocked(context, out var retryAfter))
        {
            await WriteBlockedAsync(context, _limiter.BlockedRejection(retryAfter));
            return;
        }

        await _next(context);
        if (!RefusalLimiter.IsAccounted(context) && RefusalLimiter.IsRefusalStatus(context.Response.StatusCode) && !ChargedElsewhere(context))
        {
            await _limiter.ChargeAsync(context);
        }
    }

    /// <summary>
    /// A routed call either carries the backend's own status (no rejection) or was rejected by a step: only those
    /// before the rate-limit step (authorization) have not cost the caller a permit yet.
    /// </summary>
    private static bool ChargedElsewhere(HttpContext context) =>
        context.Features.Get<GatewayCall>() is { } call
        && (call.Rejection is null || !RefusalLimiter.IsUnchargedPipelineRejection(call.Rejection));

    private static Task WriteBlockedAsync(HttpContext context, GatewayRejection rejection)
    {
        if (!ResourceIdentity.IsMcpRequest(context.Request))
        {
            return RejectionWriter.WriteAsync(context, rejection);
        }

        foreach (var (name, value) in rejection.Headers!)
        {
            context.Response.Headers[name] = value;
        }

        var data = new Dictionary<string, object?>(rejection.Data!) { ["code"] = rejection.Code };
        return JsonRpcErrors.WriteAsync(context, rejection.StatusCode, JsonRpcErrors.ServerError, rejection.Message, data: data);
    }
}
