namespace Gateway.Transforms.Federation.Pinning;

/// <summary>An approved tool definition: its <see cref="ToolDefinitionHash"/>, when and by whom it was approved.</summary>
public sealed record ToolPin(string Sha256, DateTimeOffset ApprovedAt, string? ApprovedBy);
