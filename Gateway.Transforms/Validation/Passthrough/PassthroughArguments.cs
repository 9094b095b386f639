using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Gateway.Transforms.Pipeline;
using Microsoft.Extensions.Primitives;

namespace Gateway.Transforms.Validation.Passthrough;

/// <summary>
/// The arguments of a REST passthrough request: the top-level properties of its JSON object body and its query
/// parameters. Names match without regard to case (as ASP.NET Core binds them), so a backend can never read a spelling
/// of the argument that the gateway did not check.
/// </summary>
internal sealed class PassthroughArguments : CallArguments
{
    private readonly JsonElement? _body;
    private readonly IQueryCollection _query;

    public PassthroughArguments(JsonElement? body, IQueryCollection query)
    {
        _body = body;
        _query = query;
    }

    public override ArgumentLookup Find(string name)
    {
        var inBody = 0;
        JsonElement bodyValue = default;
        if (_body is { } body)
        {
            foreach (var property in body.EnumerateObject())
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    inBody++;
                    bodyValue = property.Value;
                }
            }
        }

        if (inBody > 1)
        {
            return ArgumentLookup.Ambiguous($"argument '{name}' appears {inBody} times in the JSON body (names that differ only in letter case are the same argument); send it once");
        }

        var inQuery = StringValues.Empty;
        foreach (var (key, values) in _query)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                inQuery = StringValues.Concat(inQuery, values);
            }
            else if (key.Length > name.Length && key[name.Length] == '[' && key.StartsWith(name, StringComparison.OrdinalIgnoreCase))
            {
                return ArgumentLookup.Ambiguous($"query parameter '{key}' uses bracket notation for argument '{name}', which some backends read as an array or object; send '{name}' once as a plain string");
            }
        }

        if (inQuery.Count > 1)
        {
            return ArgumentLookup.Ambiguous($"argument '{name}' is given {inQuery.Count} times in the query string, and backends differ on which one they use; send it once");
        }

        if (inBody == 1 && inQuery.Count == 1)
        {
            return ArgumentLookup.Ambiguous($"argument '{name}' is given both in the query string and in the JSON body; send it in one place only");
        }

        if (inBody == 1)
        {
            return bodyValue.ValueKind == JsonValueKind.String
                ? ArgumentLookup.Found(bodyValue)
                : ArgumentLookup.Ambiguous($"argument '{name}' in the JSON body is {Describe(bodyValue.ValueKind)}, not a string; send it as a JSON string");
        }

        if (inQuery.Count == 1)
        {
            return ArgumentLookup.Found(JsonSerializer.SerializeToElement(inQuery[0] ?? string.Empty, GatewayJsonContext.Default.String));
        }

        return _body is null
            ? ArgumentLookup.Absent
            : ArgumentLookup.Ambiguous($"argument '{name}' is missing from the JSON body; this route validates it, so send it as a top-level string property, e.g. {{\"{name}\": \"...\"}}");
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };
}
