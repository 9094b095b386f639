namespace Gateway.Transforms.Federation;

/// <summary>Where a federated tool's calls go: the upstream server (its name in routes.json) and the tool's name there.</summary>
public sealed record UpstreamToolTarget(string Server, string ToolName);
