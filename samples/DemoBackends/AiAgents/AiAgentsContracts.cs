using System.Text.Json;
using System.Text.Json.Nodes;

namespace DemoBackends.AiAgents;

public sealed class GraphQueryRequest
{
    public string? Query { get; init; }
    public Dictionary<string, JsonElement>? Params { get; init; }
}

public sealed class AgentFunctionRequest
{
    public Dictionary<string, JsonElement>? Arguments { get; init; }
}

public sealed record AgentFunctionResponse(string Agent, string Function, JsonObject Result);

public sealed class DiscussionRequest
{
    public string? Topic { get; init; }
    public List<string>? Participants { get; init; }
    public int Rounds { get; init; } = 2;
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
    public string? Task { get; init; }
    public Dictionary<string, JsonElement>? Context { get; init; }
}

public sealed record AgentExecuteResponse(string Agent, string Task, IReadOnlyList<string> Steps, string Result);
