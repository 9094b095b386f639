namespace DemoBackends;

/// <summary>The names of the four demo backends, as used by <see cref="DemoFaults"/> and the host.</summary>
public static class BackendNames
{
    public const string LlmGateway = "llm-gateway";
    public const string SemanticSearch = "semantic-search";
    public const string AiAgents = "ai-agents";
    public const string CodeOrchestrator = "code-orchestrator";

    public static IReadOnlyList<string> All { get; } = [LlmGateway, SemanticSearch, AiAgents, CodeOrchestrator];
}
