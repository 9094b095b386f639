namespace DemoBackends.LlmGateway;

public sealed class CompletionRequest
{
    public string? Prompt { get; init; }
    public int MaxTokens { get; init; } = 64;
    public double Temperature { get; init; }
    public string? Model { get; init; }
}

public sealed record CompletionUsage(int PromptTokens, int CompletionTokens, int TotalTokens);

public sealed record CompletionResponse(string Model, string Completion, string FinishReason, CompletionUsage Usage);
