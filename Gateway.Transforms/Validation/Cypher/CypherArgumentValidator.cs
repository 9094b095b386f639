using System.Text.Json;
using Gateway.Transforms.Pipeline;

namespace Gateway.Transforms.Validation.Cypher;

/// <summary>Refuses a call whose Cypher argument is not read-only; the backend is never called.</summary>
public sealed class CypherArgumentValidator : IArgumentValidator
{
    public const string SecurityFlag = "cypher_rejected";

    public CypherArgumentValidator(string argument, CypherPolicy policy)
    {
        Argument = argument;
        Policy = policy;
    }

    public string Argument { get; }

    public CypherPolicy Policy { get; }

    public GatewayRejection? Validate(CallArguments arguments, ref Dictionary<string, string>? replacements)
    {
        var lookup = arguments.Find(Argument);
        if (lookup.Presence == ArgumentPresence.Absent)
        {
            return null;
        }

        if (lookup.Presence == ArgumentPresence.Ambiguous)
        {
            return Reject(lookup.Problem!, null, 0, 0, 0);
        }

        var value = lookup.Value;
        if (value.ValueKind != JsonValueKind.String)
        {
            return Reject($"Argument '{Argument}' must be a Cypher query string.", null, 0, 0, 0);
        }

        if (!ArgumentText.TryGet(value, out var query))
        {
            return Reject($"Argument '{Argument}' is not well-formed Unicode (an unpaired surrogate such as \\ud800); send well-formed text.", null, 0, 0, 0);
        }

        var result = CypherReadOnlyValidator.Validate(query, Policy);
        return result.IsAllowed ? null : Reject(result.Reason ?? "The query is not read-only.", result.Clause, result.Position, result.Line, result.Column);
    }

    private GatewayRejection Reject(string reason, string? clause, int position, int line, int column) =>
        new(400, GatewayErrorCodes.CypherValidationError, $"argument '{Argument}': {reason}", RejectionKind.ToolError)
        {
            SecurityFlag = SecurityFlag,
            Data = new Dictionary<string, object?>
            {
                ["argument"] = Argument,
                ["clause"] = clause,
                ["position"] = position,
                ["line"] = line,
                ["column"] = column,
            },
        };
}
