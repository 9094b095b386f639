using System.Text.Json;
using Gateway.Transforms.Pipeline;
using Yarp.ReverseProxy.Transforms;

namespace Gateway.Transforms.Validation.Cypher;

/// <summary>Refuses a call whose Cypher argument is not read-only; the backend is never called.</summary>
public sealed class CypherValidationTransform : RequestTransform
{
    public const string SecurityFlag = "cypher_rejected";

    public CypherValidationTransform(string argument, CypherPolicy policy)
    {
        Argument = argument;
        Policy = policy;
    }

    public string Argument { get; }

    public CypherPolicy Policy { get; }

    public override async ValueTask ApplyAsync(RequestTransformContext context)
    {
        if (context.HttpContext.Response.StatusCode != 200)
        {
            return;
        }

        var (arguments, unreadable) = await ArgumentReader.ReadAsync(context);
        if (unreadable is not null)
        {
            await Rejections.RejectAsync(context.HttpContext, unreadable);
            return;
        }

        var lookup = arguments!.Find(Argument);
        if (lookup.Presence == ArgumentPresence.Absent)
        {
            return;
        }

        if (lookup.Presence == ArgumentPresence.Ambiguous)
        {
            await Rejections.RejectAsync(context.HttpContext, Reject(lookup.Problem!, null, 0, 0, 0));
            return;
        }

        var value = lookup.Value;
        if (value.ValueKind != JsonValueKind.String)
        {
            await Rejections.RejectAsync(context.HttpContext, Reject($"Argument '{Argument}' must be a Cypher query string.", null, 0, 0, 0));
            return;
        }

        if (!ArgumentText.TryGet(value, out var query))
        {
            await Rejections.RejectAsync(context.HttpContext, Reject($"Argument '{Argument}' is not well-formed Unicode (an unpaired surrogate such as \\ud800); send well-formed text.", null, 0, 0, 0));
            return;
        }

        var result = CypherReadOnlyValidator.Validate(query, Policy);
        if (!result.IsAllowed)
        {
            await Rejections.RejectAsync(context.HttpContext, Reject(result.Reason ?? "The query is not read-only.", result.Clause, result.Position, result.Line, result.Column));
        }
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
