namespace DemoBackends.AiAgents.Agents;

/// <summary>A function argument is missing or out of range; becomes a 400 naming <see cref="Field"/>.</summary>
internal sealed class AgentArgumentException(string field, string rule) : Exception($"'{field}' {rule}")
{
    public string Field { get; } = field;
    public string Rule { get; } = rule;
}
