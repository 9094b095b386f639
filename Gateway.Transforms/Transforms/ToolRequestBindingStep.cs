using Gateway.Transforms.Pipeline;

namespace Gateway.Transforms.Transforms;

/// <summary>
/// Builds a tool call's backend path, query, headers and JSON body from its arguments before the call reaches
/// resilience (bulkhead, retries, circuit breaker): an argument that can't go on the wire is the caller's error
/// (an isError result, REST 400) and never an attempt against the cluster. <see cref="McpToolRequestTransform"/> then
/// sends what was bound.
/// </summary>
public sealed class ToolRequestBindingStep : IGatewayStep
{
    /// <summary>After the argument limits (250) and the input schema (300).</summary>
    public const int StepOrder = 350;

    public int Order => StepOrder;

    public ValueTask<StepResult> InvokeAsync(GatewayStepContext context)
    {
        if (context.Tool is not { Request: { } template } tool)
        {
            return StepResult.Continue;
        }

        var call = context.Call;
        if (!template.TryBind(call.Arguments, tool.Name, out var bound, out var error))
        {
            return StepResult.Reject(GatewayRejection.ArgumentsRejected(error));
        }

        call.BoundRequest = bound;
        return StepResult.Continue;
    }
}
