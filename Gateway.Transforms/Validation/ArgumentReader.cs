using Gateway.Transforms.Pipeline;
using Gateway.Transforms.Validation.Limits;
using Gateway.Transforms.Validation.Passthrough;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Transforms;

namespace Gateway.Transforms.Validation;

/// <summary>
/// Gives validating transforms the call's arguments: a tool call's own arguments, or, on a REST passthrough route, the
/// JSON object body and the query string (see <see cref="PassthroughBodyReader"/>). A passthrough request is read once
/// per call, however many validators the route has; a request that cannot be validated yields a rejection instead.
/// </summary>
public static class ArgumentReader
{
    public static async ValueTask<(CallArguments? Arguments, GatewayRejection? Rejection)> ReadAsync(RequestTransformContext context)
    {
        var http = context.HttpContext;
        if (http.Features.Get<GatewayCall>() is { Tool: not null } toolCall)
        {
            return (CallArguments.ForToolCall(toolCall.Arguments), null);
        }

        if (http.Features.Get<PassthroughRead>() is { } cached)
        {
            return (cached.Arguments, cached.Rejection);
        }

        var limits = http.RequestServices?.GetService<IOptionsMonitor<ArgumentLimits>>()?.CurrentValue ?? new ArgumentLimits();
        var (arguments, rejection) = await PassthroughBodyReader.ReadAsync(context, limits);
        http.Features.Set(new PassthroughRead(arguments, rejection));
        return (arguments, rejection);
    }

    private sealed record PassthroughRead(CallArguments? Arguments, GatewayRejection? Rejection);
}
