using System.Text.Json;

namespace DemoBackends.AiAgents.Agents;

/// <summary>Typed access to a function's <c>arguments</c> object; failures name the field as <c>arguments.x</c>.</summary>
internal sealed class AgentArguments(IReadOnlyDictionary<string, JsonElement>? values)
{
    public string RequiredString(string name)
    {
        if (values is null || !values.TryGetValue(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            throw new AgentArgumentException($"arguments.{name}", "is required.");
        }

        var text = element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        return string.IsNullOrWhiteSpace(text)
            ? throw new AgentArgumentException($"arguments.{name}", "must be a non-empty string.")
            : text;
    }

    public int OptionalInt(string name, int fallback, int min, int max)
    {
        if (values is null || !values.TryGetValue(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return fallback;
        }

        return element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var number) && number >= min && number <= max
            ? number
            : throw new AgentArgumentException($"arguments.{name}", $"must be an integer from {min} to {max}.");
    }
}
