using Microsoft.AspNetCore.Builder;
using System.Text;
using Gateway.Bench;

// Usage: dotnet run -c Release --project bench/Gateway.Bench [-- --seconds 5 --quick | --rate-limiter]
var seconds = args.SkipWhile(a => a != "--seconds").Skip(1).Select(int.Parse).FirstOrDefault(5);
var quick = args.Contains("--quick");
if (args.Contains("--rate-limiter"))
{
    // Only the rate-limiter table, for re-measuring it without the end-to-end runs.
    PrintTable(["operation", "mean / rate", "allocated", "p50", "p99"], await MicroBenchmarks.RunRateLimiterAsync(quick ? 2_000 : 20_000));
    return 0;
}

var duration = TimeSpan.FromSeconds(quick ? 2 : seconds);
var warmup = TimeSpan.FromSeconds(quick ? 1 : 2);

var (backend, backendAddress) = await BenchBackend.StartAsync();
var directory = Directory.CreateTempSubdirectory("gateway-bench").FullName;
var routesPath = Path.Combine(directory, "routes.json");
await File.WriteAllTextAsync(routesPath, $$$"""
{
  "ReverseProxy": {
    "Routes": {
      "bench_echo": {
        "ClusterId": "bench",
        "Tool": {
          "Description": "Benchmark tool: POST /echo with the arguments as JSON.",
          "InputSchema": { "type": "object", "properties": { "query": { "type": "string" }, "top_k": { "type": "integer" } }, "required": [ "query" ] }
        },
        "Transforms": [ { "McpToolRequest": "POST /echo" } ]
      },
      "bench-rest": { "ClusterId": "bench", "Match": { "Path": "/bench/{**rest}" }, "Transforms": [ { "PathPattern": "/{**rest}" } ] }
    },
    "Clusters": { "bench": { "Destinations": { "d1": { "Address": "{{{backendAddress}}}" } } } }
  }
}
""");

await using var gateway = await GatewayProcess.StartAsync(routesPath, directory);

// The same gateway without the stateless tools/call fast path: every call goes through the SDK's MapMcp.
await using var sdkGateway = await GatewayProcess.StartAsync(routesPath, directory, new Dictionary<string, string> { ["Gateway__Mcp__ToolCallFastPath"] = "false" });
var body = """{"query":"how do we rotate the redis password","top_k":5}""";
var mcpBody = """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"bench_echo","arguments":""" + body + "}}";

HttpRequestMessage Direct() => new(HttpMethod.Post, new Uri(backendAddress, "echo")) { Content = Json(body) };
HttpRequestMessage Rest() => new(HttpMethod.Post, new Uri(gateway.Address, "bench/echo")) { Content = Json(body) };
HttpRequestMessage Facade() => new(HttpMethod.Post, new Uri(gateway.Address, "tools/call")) { Content = Json("{\"tool\":\"bench_echo\",\"arguments\":" + body + "}") };
HttpRequestMessage Mcp() => McpAt(gateway.Address);
HttpRequestMessage McpSdk() => McpAt(sdkGateway.Address);
HttpRequestMessage McpAt(Uri address)
{
    var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, "mcp")) { Content = Json(mcpBody) };
    request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
    request.Headers.TryAddWithoutValidation("MCP-Protocol-Version", "2025-06-18");
    return request;
}

var rows = new List<string[]>();
var results = new Dictionary<(string, int), LoadResult>();
foreach (var connections in new[] { 1, 64 })
{
    foreach (var (name, factory) in new (string, Func<HttpRequestMessage>)[] { ("direct to backend", Direct), ("YARP REST route", Rest), ("REST facade /tools/call", Facade), ("MCP tools/call", Mcp), ("MCP tools/call, SDK path (fast path off)", McpSdk) })
    {
        var result = await LoadGenerator.RunAsync(factory, ResultIsSuccess, connections, duration, warmup);
        results[(name, connections)] = result;
        rows.Add([name, connections.ToString(), $"{result.RequestsPerSecond:F0}", $"{result.P50Ms:F3}", $"{result.P99Ms:F3}", result.Errors.ToString()]);
    }
}

Console.WriteLine();
Console.WriteLine($"## End to end ({duration.TotalSeconds:F0} s per cell after {warmup.TotalSeconds:F0} s warm-up; backend, gateway and load generator share {Environment.ProcessorCount} cores)");
Console.WriteLine();
PrintTable(["path", "connections", "requests/s", "p50 ms", "p99 ms", "errors"], rows);

Console.WriteLine();
foreach (var connections in new[] { 1, 64 })
{
    var rest = results[("YARP REST route", connections)];
    var mcp = results[("MCP tools/call", connections)];
    var direct = results[("direct to backend", connections)];
    var sdk = results[("MCP tools/call, SDK path (fast path off)", connections)];
    Console.WriteLine($"- {connections} connection(s): fast path = {mcp.RequestsPerSecond / sdk.RequestsPerSecond:F2}x the SDK path's throughput; " +
        $"p50 {mcp.P50Ms:F3} ms vs {sdk.P50Ms:F3} ms");
    Console.WriteLine($"- {connections} connection(s): MCP throughput = {mcp.RequestsPerSecond / rest.RequestsPerSecond:P0} of the YARP route; " +
        $"added p50 over direct: REST {rest.P50Ms - direct.P50Ms:F3} ms, MCP {mcp.P50Ms - direct.P50Ms:F3} ms");
}

Console.WriteLine($"- gateway working set after the run: {gateway.WorkingSetBytes / (1024.0 * 1024.0):F1} MiB");
Console.WriteLine($"- gateway time to ready (process start to /ready 200): {gateway.TimeToReady.TotalMilliseconds:F0} ms");

Console.WriteLine();
Console.WriteLine("## Pipeline steps (per call, single thread)");
Console.WriteLine();
var iterations = quick ? 20_000 : 200_000;
PrintTable(["step", "mean", "allocated", "p50", "p99"], MicroBenchmarks.RunPureSteps(iterations));

Console.WriteLine();
Console.WriteLine("## Rate limiter");
Console.WriteLine();
PrintTable(["operation", "mean / rate", "allocated", "p50", "p99"], await MicroBenchmarks.RunRateLimiterAsync(quick ? 2_000 : 20_000));

await backend.StopAsync();
return 0;

static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

// JSON-RPC errors and isError results travel in 200 responses: only a real result counts as a success.
static async ValueTask<bool> ResultIsSuccess(HttpResponseMessage response)
{
    var text = await response.Content.ReadAsStringAsync();
    return !text.Contains("\"error\":{", StringComparison.Ordinal) && !text.Contains("\"isError\":true", StringComparison.Ordinal);
}

static void PrintTable(string[] header, List<string[]> rows)
{
    Console.WriteLine("| " + string.Join(" | ", header) + " |");
    Console.WriteLine("|" + string.Concat(header.Select(_ => "---|")));
    foreach (var row in rows)
    {
        Console.WriteLine("| " + string.Join(" | ", row) + " |");
    }
}
