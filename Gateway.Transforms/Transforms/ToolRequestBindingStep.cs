using Gateway.Transforms.Pipeline;

namespace Gateway.Transforms.Transforms;

/// <summary>
/// Builds a tool call's backend path, query and headers from its arguments before the call reaches resilience
/// (bulkhead, retries, circuit breaker): an argument that can't go on the wire is the caller's error (JSON-RPC -32602,
/// REST 400) and never an attempt against the cluster. <see cref="McpToolRequestTransform"/> then sends what was bound.
/// The body is built here too: YARP sends the tool call's request body as it sends any request's, so it must be the
/// call's request body before the forwarder starts.
/// </summary>
public sealed class ToolRequestBindingStep : IGatewayStep
{
    /// <summary>After the argument limits (250) and the input schema (300).</summary>
    public const int StepOrder = 350;

    public int Order => StepOrder;

    public ValueTask<GatewayRejection?> InvokeAsync(GatewayStepContext context)
    {
        if (context.ToolCall is not { Tool.Request: { } template } call)
        {
            return default;
        }

        if (!template.TryBind(call.Arguments, call.Tool.Name, out var bound, out var error))
        {
            return ValueTask.FromResult<GatewayRejection?>(GatewayRejection.InvalidArguments(error));
        }

        call.BoundRequest = bound;
        if (bound.Body is { } body)
        {
            // The forwarder decides whether the backend request has a body from these headers, before any transform runs.
            var request = context.HttpContext.Request;
            request.ContentLength = body.Length;
            request.ContentType = McpToolRequestTransform.JsonContentType;
        }

        return default;
    }
}
