namespace DemoBackends.LlmGateway;

// Request DTOs use setters, not init: the JSON source generator assigns every init-only property and would wipe the defaults.
public sealed class CompletionRequest
{
    public string? Prompt { get; set; }
    public int MaxTokens { get; set; } = 64;
    public double Temperature { get; set; }
    public string? Model { get; set; }
}

public sealed record CompletionUsage(int PromptTokens, int CompletionTokens, int TotalTokens);

public sealed record CompletionResponse(string Model, string Completion, string FinishReason, CompletionUsage Usage);
