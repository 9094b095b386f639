using System.Text.Json;
using System.Text.Json.Nodes;

namespace DemoBackends.AiAgents;

// Request DTOs use setters, not init: the JSON source generator assigns every init-only property and would wipe the defaults.
public sealed class GraphQueryRequest
{
    public string? Query { get; set; }
    public Dictionary<string, JsonElement>? Params { get; set; }
}

public sealed class AgentFunctionRequest
{
    public Dictionary<string, JsonElement>? Arguments { get; set; }
}

public sealed record AgentFunctionResponse(string Agent, string Function, JsonObject Result);

public sealed class DiscussionRequest
{
    public string? Topic { get; set; }
    public List<string>? Participants { get; set; }
    public int Rounds { get; set; } = 2;
}

public sealed record DiscussionTurn(int Round, string Speaker, string Message);

public sealed record DiscussionResponse(
    string Topic,
    IReadOnlyList<string> Participants,
    int Rounds,
    IReadOnlyList<DiscussionTurn> Transcript,
    string Conclusion);

public sealed class AgentExecuteRequest
{
    public string? Task { get; set; }
    public Dictionary<string, JsonElement>? Context { get; set; }
}

public sealed record AgentExecuteResponse(string Agent, string Task, IReadOnlyList<string> Steps, string Result);
