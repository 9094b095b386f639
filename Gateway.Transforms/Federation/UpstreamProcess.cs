namespace Gateway.Transforms.Federation;

/// <summary>The process of a Stdio upstream: what the gateway runs, with which arguments, extra environment and working directory.</summary>
public sealed record UpstreamProcess(
    string Command,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Environment,
    string? WorkingDirectory);
