using System.Text.Json;

namespace Gateway.Transforms.Schema;

/// <summary>The alternatives of an anyOf/oneOf, with the shared logic for trying them and explaining a miss.</summary>
internal sealed class Alternatives(SchemaNode[] options)
{
    private readonly string _summary = string.Join("; ", options.Select(option => option.Summary));

    public int Count => options.Length;

    /// <summary>Tries the alternatives without recording errors; returns the index of the first match from start, or -1.</summary>
    public int FindMatch(JsonElement value, ValidationContext context, int start)
    {
        context.BeginSilent();
        try
        {
            for (int i = start; i < options.Length; i++)
            {
                if (options[i].Validate(value, context)) return i;
            }
            return -1;
        }
        finally
        {
            context.EndSilent();
        }
    }

    /// <summary>
    /// Explains why nothing matched. When exactly one alternative accepts the value's type, its own errors are the
    /// useful ones ("must be at most 50"); otherwise list what the alternatives would accept.
    /// </summary>
    public bool ReportNoMatch(JsonElement value, ValidationContext context)
    {
        if (!context.IsRecording) return false;
        SchemaNode? onlyCandidate = null;
        foreach (var option in options)
        {
            if (option.Types != JsonTypes.None && !JsonTypeNames.Accepts(option.Types, value)) continue;
            if (onlyCandidate is not null) return FailGeneric(context);
            onlyCandidate = option;
        }
        return onlyCandidate is null ? FailGeneric(context) : onlyCandidate.Validate(value, context);
    }

    private bool FailGeneric(ValidationContext context) =>
        context.Fail($"does not match any of the allowed forms: {_summary}");
}
