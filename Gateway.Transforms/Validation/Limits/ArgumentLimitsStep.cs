using Gateway.Transforms.Pipeline;
using Microsoft.Extensions.Options;

namespace Gateway.Transforms.Validation.Limits;

/// <summary>Refuses tool calls whose arguments are too deep, too long, too many or too big (settings: <c>Gateway:Limits</c>).</summary>
public sealed class ArgumentLimitsStep : IGatewayStep
{
    public const int StepOrder = 250;

    private readonly IOptionsMonitor<ArgumentLimits> _limits;

    public ArgumentLimitsStep(IOptionsMonitor<ArgumentLimits> limits) => _limits = limits;

    public int Order => StepOrder;

    public ValueTask<StepResult> InvokeAsync(GatewayStepContext context)
    {
        if (context.Tool is not { } tool || ArgumentLimitChecker.Check(context.Call.Arguments, _limits.CurrentValue) is not { } violation)
        {
            return StepResult.Continue;
        }

        var status = violation.Limit.Contains("Bytes", StringComparison.OrdinalIgnoreCase) ? 413 : 400;
        return StepResult.Reject(new GatewayRejection(status, GatewayErrorCodes.LimitExceeded,
            $"Arguments of tool '{tool.Name}' exceed a limit: {violation.Message}", RejectionKind.ToolError)
        {
            SecurityFlag = "limit_exceeded",
            Data = new Dictionary<string, object?>
            {
                ["limit"] = violation.Limit,
                ["path"] = violation.Path,
                ["actual"] = violation.Actual,
                ["maximum"] = violation.Maximum,
            },
        });
    }
}
