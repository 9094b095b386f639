using System.Buffers;
using System.Text.Json;
using Gateway.Transforms.Pipeline;
using Gateway.Transforms.Validation.Limits;
using Gateway.Transforms.Validation.Passthrough;
using Microsoft.Extensions.Options;

namespace Gateway.Transforms.Validation;

/// <summary>
/// Runs the route's validators (<c>ValidateCypher</c>, <c>ValidatePath</c>) once per call, after the input schema and
/// before the backend request is bound: on a tool call's arguments, or on what a REST passthrough request carries in
/// its JSON body and query string (read once, failing closed: see <see cref="PassthroughBodyReader"/>). A tool call then
/// forwards the canonical form of each accepted argument.
/// </summary>
public sealed class ArgumentValidationStep : IGatewayStep
{
    /// <summary>After the input schema (300), before request binding (350).</summary>
    public const int StepOrder = 320;

    private readonly RouteArgumentValidators _validators;
    private readonly IOptionsMonitor<ArgumentLimits> _limits;

    public ArgumentValidationStep(RouteArgumentValidators validators, IOptionsMonitor<ArgumentLimits> limits)
    {
        _validators = validators;
        _limits = limits;
    }

    public int Order => StepOrder;

    public ValueTask<StepResult> InvokeAsync(GatewayStepContext context)
    {
        var validators = _validators.For(context.Route.Config);
        if (validators.Length == 0)
        {
            return StepResult.Continue;
        }

        return context.Tool is null ? ValidatePassthroughAsync(context, validators) : ValidateToolCall(context.Call, validators);
    }

    private static StepResult ValidateToolCall(GatewayCall call, IArgumentValidator[] validators)
    {
        foreach (var validator in validators)
        {
            Dictionary<string, string>? replacements = null;
            if (validator.Validate(CallArguments.ForToolCall(call.Arguments), ref replacements) is { } rejection)
            {
                return StepResult.Reject(rejection);
            }

            if (replacements is not null)
            {
                // The next validator, the request binding and the audit hash all see the canonical form.
                call.Arguments = Replace(call.Arguments, replacements);
            }
        }

        return StepResult.Continue;
    }

    private async ValueTask<StepResult> ValidatePassthroughAsync(GatewayStepContext context, IArgumentValidator[] validators)
    {
        var (arguments, unreadable) = await PassthroughBodyReader.ReadAsync(context.HttpContext, _limits.CurrentValue);
        if (unreadable is not null)
        {
            return StepResult.Reject(unreadable);
        }

        foreach (var validator in validators)
        {
            // A passthrough request is forwarded as sent (its validated bytes); canonical forms are not substituted.
            Dictionary<string, string>? ignored = null;
            if (validator.Validate(arguments!, ref ignored) is { } rejection)
            {
                return StepResult.Reject(rejection);
            }
        }

        return StepResult.Continue;
    }

    private static JsonElement Replace(JsonElement arguments, Dictionary<string, string> replacements)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in arguments.EnumerateObject())
            {
                if (replacements.TryGetValue(property.Name, out var replacement))
                {
                    writer.WriteString(property.Name, replacement);
                }
                else
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
