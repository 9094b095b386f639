using Gateway.Transforms.Pipeline;

namespace Gateway.Transforms.Transforms;

/// <summary>
/// Builds a tool call's backend path, query and headers from its arguments before the call reaches resilience
/// (bulkhead, retries, circuit breaker): an argument that can't go on the wire is the caller's error (an isError result,
/// REST 400) and never an attempt against the cluster. <see cref="McpToolRequestTransform"/> then sends what was bound.
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
            return ValueTask.FromResult<GatewayRejection?>(GatewayRejection.ArgumentsRejected(error));
        }

        call.BoundRequest = bound;
        return default;
    }
}
