using Gateway.Transforms.Pipeline;

namespace Gateway.Transforms.Schema;

/// <summary>Checks a tool call's arguments against the tool's input schema before anything is sent.</summary>
public sealed class ArgumentSchemaStep : IGatewayStep
{
    public const int StepOrder = 300;

    public int Order => StepOrder;

    public ValueTask<StepResult> InvokeAsync(GatewayStepContext context)
    {
        if (context.Tool is not { } tool)
        {
            return StepResult.Continue;
        }

        var result = tool.InputSchema.Validate(context.Call.Arguments);
        if (result.IsValid)
        {
            return StepResult.Continue;
        }

        var details = string.Join("; ", result.Errors.Select(e => e.Message));
        return StepResult.Reject(GatewayRejection.ArgumentsRejected(
            $"Invalid arguments for tool '{tool.Name}': {details}. See the tool's inputSchema in tools/list."));
    }
}
