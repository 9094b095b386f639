namespace Gateway.Bench;

/// <summary>
/// One row of the end-to-end table: a POST with a fixed body, and the process whose CPU time the row reports (the
/// server that answers it: the backend itself for the direct row, nginx, or a gateway).
/// </summary>
internal sealed record BenchPath(string Key, string Name, Uri Url, string Body, IReadOnlyList<(string Name, string Value)> Headers, int ServerPid)
{
    public static readonly IReadOnlyList<(string, string)> McpHeaders = [("Accept", "application/json, text/event-stream"), ("MCP-Protocol-Version", "2025-06-18")];

    public static BenchPath Mcp(string key, string name, Uri gateway, string tool, string arguments, int serverPid) =>
        new(key, name, new Uri(gateway, "mcp"), """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":""" + "\"" + tool + "\",\"arguments\":" + arguments + "}}", McpHeaders, serverPid);

    public static BenchPath Rest(string key, string name, Uri url, string body, int serverPid) => new(key, name, url, body, [], serverPid);
}

internal readonly record struct LoadResult(long Requests, double RequestsPerSecond, double P50Ms, double P99Ms, long Errors);
