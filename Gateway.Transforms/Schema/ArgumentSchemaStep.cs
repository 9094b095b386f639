using Gateway.Transforms.Pipeline;

namespace Gateway.Transforms.Schema;

/// <summary>Checks a tool call's arguments against the tool's input schema before anything is sent.</summary>
public sealed class ArgumentSchemaStep : IGatewayStep
{
    public const int StepOrder = 300;

    public int Order => StepOrder;

    public ValueTask<GatewayRejection?> InvokeAsync(GatewayStepContext context)
    {
        if (context.ToolCall is not { } call)
        {
            return default;
        }

        var result = call.Tool.InputSchema.Validate(call.Arguments);
        if (result.IsValid)
        {
            return default;
        }

        var details = string.Join("; ", result.Errors.Select(e => e.Message));
        return ValueTask.FromResult<GatewayRejection?>(GatewayRejection.ArgumentsRejected(
            $"Invalid arguments for tool '{call.Tool.Name}': {details}. See the tool's inputSchema in tools/list."));
    }
}
