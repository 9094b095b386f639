namespace Gateway.Proxy.Observability.Metrics;

/// <summary>The last MCP-level probe of a backend: whether it answered <c>tools/list</c>, and how many expected tools it lacked.</summary>
public readonly record struct McpBackendHealth(bool McpUp, int MissingTools);
