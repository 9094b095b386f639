using System.Globalization;
using System.Text;
using System.Text.Json;
using Gateway.Bench;

// Usage: dotnet run -c Release --project bench/Gateway.Bench [-- options]
//   --seconds N      seconds per measured cell (default 5)      --rounds N    interleaved rounds, medians reported (default 3)
//   --warmup N       seconds of warm-up per path and load (10)  --quick       1 round of 2 s cells after 3 s of warm-up
//   --baseline DLL   also measure another build's Gateway.Proxy.dll (before/after in one run)
//   --soak MINUTES   only the soak: MCP tools/call at 64 connections, resident set sampled every 30 s
//   --soak-row KEY   soak another row instead (bare-mcp: the floor, for comparison)
//   --rate-limiter   only the rate-limiter table                --no-micro    skip the in-process step tables
//   --r2r DLL        also time the start of a ReadyToRun publish of the gateway (the Docker image's; Cake Bench makes one)
//   --only K,K       only these rows (keys: direct nginx bare-route bare-mcp route facade mcp mcp-sdk graph code upstream federated)
// Rows include a C# SDK MCP upstream called directly and through the gateway (federated), with the added p50, and the
// bare stack (Kestrel + YARP + the MCP SDK, no gateway code) as the floor of what this stack costs.
if (args is [BareStack.Command, var bareUrl, var bareBackend])
{
    return await BareStack.RunAsync(bareUrl, new Uri(bareBackend));
}

var quick = args.Contains("--quick");
var seconds = Option("--seconds", quick ? 2 : 5);
var rounds = Option("--rounds", quick ? 1 : 3);
var warmupSeconds = Option("--warmup", quick ? 3 : 10);
var soakMinutes = Option("--soak", 0);
var baselineBuild = args.SkipWhile(a => a != "--baseline").Skip(1).FirstOrDefault();
var readyToRunBuild = args.SkipWhile(a => a != "--r2r").Skip(1).FirstOrDefault();
var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault()?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
if (args.Contains("--rate-limiter"))
{
    PrintTable(["operation", "mean / rate", "allocated", "p50", "p99"], await MicroBenchmarks.RunRateLimiterAsync(quick ? 2_000 : 20_000));
    return 0;
}

var directory = Directory.CreateTempSubdirectory("gateway-bench").FullName;
var (backend, backendAddress) = await BenchBackend.StartAsync();
var (mcpUpstream, mcpUpstreamAddress) = await BenchMcpUpstream.StartAsync();
var routesPath = Path.Combine(directory, "routes.json");
await File.WriteAllTextAsync(routesPath, BenchRoutes(backendAddress));

// This build's gateways also federate the C# SDK upstream; a baseline build may predate the Federation section.
var ownRoutesPath = Path.Combine(directory, "routes-federated.json");
await File.WriteAllTextAsync(ownRoutesPath, WithFederation(BenchRoutes(backendAddress), mcpUpstreamAddress));

await using var gateway = await ServerProcess.StartGatewayAsync(ServerProcess.OwnBuild, ownRoutesPath, directory);
var idleMemory = ProcessStats.MemoryMiB(gateway.Pid);
await using var sdkGateway = await ServerProcess.StartGatewayAsync(ServerProcess.OwnBuild, ownRoutesPath, directory, new Dictionary<string, string> { ["Gateway__Mcp__ToolCallFastPath"] = "false" });
await using var baseline = baselineBuild is null ? null : await ServerProcess.StartGatewayAsync(Path.GetFullPath(baselineBuild), routesPath, directory);
await using var nginx = await NginxProcess.TryStartAsync(backendAddress, directory);
await using var bare = await ServerProcess.StartBareStackAsync(backendAddress, directory);
var bareIdleMemory = ProcessStats.MemoryMiB(bare.Pid);

const string SearchArguments = """{"query":"how do we rotate the redis password","top_k":5}""";
const string GraphArguments = """{"query":"MATCH (s:Service)-[:DEPENDS_ON]->(d:Service) WHERE s.tier = $tier RETURN s.name, d.name ORDER BY s.name LIMIT 25","params":{"tier":"core"}}""";
const string CodeArguments = """{"path":"src/Billing/InvoiceService.cs"}""";
var paths = new List<BenchPath> { BenchPath.Rest("direct", "direct to the backend", new Uri(backendAddress, "echo"), SearchArguments, Environment.ProcessId) };
if (nginx is not null)
{
    paths.Add(BenchPath.Rest("nginx", "nginx passthrough (keepalive upstream)", new Uri(nginx.Address, "bench/echo"), SearchArguments, nginx.Pid));
}

paths.AddRange(
[
    BenchPath.Rest("bare-route", "floor: Kestrel + YARP route, no gateway code", new Uri(bare.Address, "bench/echo"), SearchArguments, bare.Pid),
    BenchPath.Mcp("bare-mcp", "floor: MCP SDK stateless tools/call + HttpClient, no gateway code", bare.Address, "bench_search", SearchArguments, bare.Pid),
    BenchPath.Rest("route", "gateway YARP route", new Uri(gateway.Address, "bench/echo"), SearchArguments, gateway.Pid),
    BenchPath.Rest("facade", "gateway REST facade /tools/call", new Uri(gateway.Address, "tools/call"), "{\"tool\":\"bench_search\",\"arguments\":" + SearchArguments + "}", gateway.Pid),
    BenchPath.Mcp("mcp", "gateway MCP tools/call", gateway.Address, "bench_search", SearchArguments, gateway.Pid),
    BenchPath.Mcp("mcp-sdk", "gateway MCP tools/call, SDK path (fast path off)", sdkGateway.Address, "bench_search", SearchArguments, sdkGateway.Pid),
    BenchPath.Mcp("graph", "gateway MCP graph_query (ValidateCypher)", gateway.Address, "bench_graph", GraphArguments, gateway.Pid),
    BenchPath.Mcp("code", "gateway MCP code_analyze (ValidatePath)", gateway.Address, "bench_code", CodeArguments, gateway.Pid),
    BenchPath.Mcp("upstream", "direct to the C# SDK MCP upstream (tools/call)", mcpUpstreamAddress, BenchMcpUpstream.Tool, SearchArguments, Environment.ProcessId),
    BenchPath.Mcp("federated", "gateway MCP tools/call, federated to that upstream", gateway.Address, "up__" + BenchMcpUpstream.Tool, SearchArguments, gateway.Pid),
]);
if (baseline is not null)
{
    paths.Add(BenchPath.Rest("baseline-route", "baseline YARP route", new Uri(baseline.Address, "bench/echo"), SearchArguments, baseline.Pid));
    paths.Add(BenchPath.Mcp("baseline-mcp", "baseline MCP tools/call", baseline.Address, "bench_search", SearchArguments, baseline.Pid));
}

if (only is not null)
{
    paths.RemoveAll(p => p.Key != "direct" && !only.Contains(p.Key));
}

await WaitForToolAsync(gateway.Address, "up__" + BenchMcpUpstream.Tool);
await VerifyAsync(paths);
Console.WriteLine("# Gateway benchmark");
Console.WriteLine();
Console.WriteLine($"- {Environment.ProcessorCount} cores shared by the load generator, the backend (Kestrel, in the harness process), nginx and the gateways");
Console.WriteLine($"- load generator: {(Wrk.Available ? "wrk (own process)" : "HttpClient in the harness process (wrk not installed: apt-get install wrk)")}");
Console.WriteLine($"- gateway runtime: {RuntimeSettings(ServerProcess.OwnBuild)}; every guard on (rate limit 1e9/min, audit file, metrics, request log line to a file at the default level)");
Console.WriteLine($"- warm-up: every path {warmupSeconds} s at 64 connections and {Math.Max(1, warmupSeconds / 2)} s at 1 before the first measured cell; then {rounds} interleaved round(s) of {seconds} s cells, medians reported");

var duration = TimeSpan.FromSeconds(seconds);
foreach (var path in paths)
{
    await LoadAsync(path, 64, TimeSpan.FromSeconds(warmupSeconds));
    await LoadAsync(path, 1, TimeSpan.FromSeconds(Math.Max(1, warmupSeconds / 2)));
}

if (soakMinutes > 0)
{
    await SoakAsync(paths.Single(p => p.Key == (args.SkipWhile(a => a != "--soak-row").Skip(1).FirstOrDefault() ?? "mcp")), soakMinutes);
    await backend.StopAsync();
    return 0;
}

var cells = new Dictionary<(string Key, int Connections), List<Cell>>();
var memoryAfter = new Dictionary<int, (double Rss, double Peak)>();
var bareMemoryAfter = new Dictionary<int, (double Rss, double Peak)>();
for (var round = 0; round < rounds; round++)
{
    foreach (var connections in new[] { 1, 64 })
    {
        foreach (var path in paths)
        {
            var cpuBefore = ProcessStats.CpuSeconds(path.ServerPid);
            var result = await LoadAsync(path, connections, duration);
            var cpuMicros = (ProcessStats.CpuSeconds(path.ServerPid) - cpuBefore) * 1e6 / Math.Max(1, result.Requests);
            (cells.TryGetValue((path.Key, connections), out var list) ? list : cells[(path.Key, connections)] = []).Add(new Cell(result, cpuMicros));
        }

        memoryAfter[connections] = ProcessStats.MemoryMiB(gateway.Pid);
        bareMemoryAfter[connections] = ProcessStats.MemoryMiB(bare.Pid);
    }
}

Console.WriteLine();
Console.WriteLine("## End to end");
Console.WriteLine();
var rows = new List<string[]>();
foreach (var connections in new[] { 1, 64 })
{
    foreach (var path in paths)
    {
        var m = Median(path.Key, connections);
        rows.Add([path.Name, connections.ToString(CultureInfo.InvariantCulture), m.Rps.ToString("F0", CultureInfo.InvariantCulture), m.P50.ToString("F3", CultureInfo.InvariantCulture),
            m.P99.ToString("F3", CultureInfo.InvariantCulture), ProcessStats.Available ? m.Cpu.ToString("F0", CultureInfo.InvariantCulture) : "n/a", m.Errors.ToString(CultureInfo.InvariantCulture)]);
    }
}

PrintTable(["path", "connections", "requests/s", "p50 ms", "p99 ms", "server CPU µs/request", "errors"], rows);
Console.WriteLine();
Console.WriteLine("## Ratios (from the medians above)");
Console.WriteLine();
var direct1 = Median("direct", 1);
foreach (var key in new[] { "nginx", "bare-route", "bare-mcp", "route", "facade", "mcp", "graph", "code" }.Where(Measured))
{
    Console.WriteLine($"- {Name(key)}: adds {Median(key, 1).P50 - direct1.P50:F3} ms p50 over direct at 1 connection");
}

if (Measured("federated") && Measured("upstream"))
{
    Console.WriteLine($"- {Name("federated")}: adds {Median("federated", 1).P50 - Median("upstream", 1).P50:F3} ms p50 over the upstream direct at 1 connection (goal: at most 0.5 ms); " +
        $"{Median("federated", 64).Rps / Median("upstream", 64).Rps:P0} of its throughput at 64 connections");
}

if (Measured("nginx"))
{
    var nginx64 = Median("nginx", 64);
    foreach (var key in new[] { "bare-route", "bare-mcp", "route", "facade", "mcp" }.Where(Measured))
    {
        var m = Median(key, 64);
        Console.WriteLine($"- {Name(key)} at 64 connections: {m.Rps / nginx64.Rps:P0} of nginx's throughput, {m.Cpu / nginx64.Cpu:F1}x nginx's CPU per request");
    }
}

foreach (var (key, floor) in new[] { ("route", "bare-route"), ("mcp", "bare-mcp") }.Where(p => Measured(p.Item1) && Measured(p.Item2)))
{
    Console.WriteLine($"- {Name(key)} over its floor: +{Median(key, 1).P50 - Median(floor, 1).P50:F3} ms p50 at 1 connection; at 64 connections " +
        $"{Median(key, 64).Rps / Median(floor, 64).Rps:P0} of its throughput, +{Median(key, 64).Cpu - Median(floor, 64).Cpu:F0} µs CPU per request");
}

if (Measured("mcp") && Measured("mcp-sdk"))
{
    Console.WriteLine($"- fast path = {Median("mcp", 1).Rps / Median("mcp-sdk", 1).Rps:F2}x (1 connection) and {Median("mcp", 64).Rps / Median("mcp-sdk", 64).Rps:F2}x (64) the SDK path's throughput");
}

if (baseline is not null && Measured("mcp"))
{
    Console.WriteLine($"- this build vs baseline, MCP tools/call: {Median("mcp", 64).Rps / Median("baseline-mcp", 64).Rps:P0} of the baseline's throughput at 64 connections; " +
        $"added p50 at 1 connection {Median("mcp", 1).P50 - direct1.P50:F3} ms vs {Median("baseline-mcp", 1).P50 - direct1.P50:F3} ms; CPU per call {Median("mcp", 64).Cpu:F0} vs {Median("baseline-mcp", 64).Cpu:F0} µs");
}

Console.WriteLine();
Console.WriteLine("## Processes (the fast-path gateway of the rows above, and the bare stack as its floor)");
Console.WriteLine();
var readyTimes = new List<double> { gateway.TimeToReady.TotalMilliseconds };
var bareReadyTimes = new List<double> { bare.TimeToReady.TotalMilliseconds };
for (var start = 0; start < 3; start++)
{
    await using (var fresh = await ServerProcess.StartGatewayAsync(ServerProcess.OwnBuild, routesPath, directory))
    {
        readyTimes.Add(fresh.TimeToReady.TotalMilliseconds);
    }

    await using var freshBare = await ServerProcess.StartBareStackAsync(backendAddress, directory);
    bareReadyTimes.Add(freshBare.TimeToReady.TotalMilliseconds);
}

var readyToRunTimes = new List<double>();
for (var start = 0; readyToRunBuild is not null && start < 4; start++)
{
    await using var fresh = await ServerProcess.StartGatewayAsync(Path.GetFullPath(readyToRunBuild), routesPath, directory);
    readyToRunTimes.Add(fresh.TimeToReady.TotalMilliseconds);
}

PrintTable(["measure", "gateway", "bare stack (floor)"],
[
    ["resident set, idle after start", $"{idleMemory.Rss:F0} MiB", $"{bareIdleMemory.Rss:F0} MiB"],
    ["resident set after the 1-connection cells", $"{memoryAfter[1].Rss:F0} MiB", $"{bareMemoryAfter[1].Rss:F0} MiB"],
    ["resident set after the 64-connection cells", $"{memoryAfter[64].Rss:F0} MiB", $"{bareMemoryAfter[64].Rss:F0} MiB"],
    ["resident set high-water mark", $"{ProcessStats.MemoryMiB(gateway.Pid).Peak:F0} MiB", $"{ProcessStats.MemoryMiB(bare.Pid).Peak:F0} MiB"],
    ["time from process start to /ready 200 (median of 4 starts)", ReadyTime(readyTimes), ReadyTime(bareReadyTimes)],
    .. readyToRunTimes.Count > 0 ? [["the same, ReadyToRun publish (as in the Docker image)", ReadyTime(readyToRunTimes), "—"]] : Array.Empty<string[]>(),
]);

if (!args.Contains("--no-micro"))
{
    Console.WriteLine();
    Console.WriteLine("## Pipeline steps (per call, single thread, in the harness process)");
    Console.WriteLine();
    PrintTable(["step", "mean", "allocated", "p50", "p99"], MicroBenchmarks.RunPureSteps(quick ? 20_000 : 200_000));
    Console.WriteLine();
    Console.WriteLine("## Rate limiter");
    Console.WriteLine();
    PrintTable(["operation", "mean / rate", "allocated", "p50", "p99"], await MicroBenchmarks.RunRateLimiterAsync(quick ? 2_000 : 20_000));
}

await backend.StopAsync();
await mcpUpstream.StopAsync();
return 0;

int Option(string name, int fallback) => args.SkipWhile(a => a != name).Skip(1).Select(v => int.Parse(v, CultureInfo.InvariantCulture)).FirstOrDefault(fallback);

bool Measured(string key) => cells.ContainsKey((key, 1));

static string ReadyTime(List<double> times)
{
    times.Sort();
    return $"{(times[1] + times[2]) / 2:F0} ms (min {times[0]:F0}, max {times[^1]:F0})";
}

string Name(string key) => paths.Single(p => p.Key == key).Name;

(double Rps, double P50, double P99, double Cpu, long Errors) Median(string key, int connections)
{
    var list = cells[(key, connections)];
    static double Mid(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    return (Mid(list.Select(c => c.Result.RequestsPerSecond)), Mid(list.Select(c => c.Result.P50Ms)), Mid(list.Select(c => c.Result.P99Ms)),
        Mid(list.Select(c => c.CpuMicros)), list.Sum(c => c.Result.Errors));
}

async Task<LoadResult> LoadAsync(BenchPath path, int connections, TimeSpan length) =>
    Wrk.Available ? await Wrk.RunAsync(path, connections, length, directory) : await LoadGenerator.RunAsync(path, connections, length);

async Task SoakAsync(BenchPath path, int minutes)
{
    Console.WriteLine();
    Console.WriteLine($"## Soak: {path.Name}, 64 connections, {minutes} min");
    Console.WriteLine();
    var samples = new List<string[]>();
    var rss = new List<double>();
    for (var elapsed = 30; elapsed <= minutes * 60; elapsed += 30)
    {
        var cpuBefore = ProcessStats.CpuSeconds(path.ServerPid);
        var result = await LoadAsync(path, 64, TimeSpan.FromSeconds(30));
        var cpu = (ProcessStats.CpuSeconds(path.ServerPid) - cpuBefore) * 1e6 / Math.Max(1, result.Requests);
        var memory = ProcessStats.MemoryMiB(path.ServerPid);
        rss.Add(memory.Rss);
        samples.Add([$"{elapsed / 60.0:F1}", $"{result.RequestsPerSecond:F0}", $"{result.P99Ms:F3}", $"{cpu:F0}", $"{memory.Rss:F0}", $"{memory.Peak:F0}", $"{result.Errors}"]);
    }

    PrintTable(["minute", "requests/s", "p99 ms", "CPU µs/request", "resident MiB", "high-water MiB", "errors"], samples);
    var settled = rss.Skip(2).DefaultIfEmpty(rss[^1]).ToArray();
    Console.WriteLine();
    Console.WriteLine($"- resident set after the first minute: {settled.Min():F0}–{settled.Max():F0} MiB ({(settled.Max() - settled.Min()) / settled.Min():P1} spread)");
}

// The gateway reads the upstream's tools/list once it has started; the federated row is measured once it is listed.
static async Task WaitForToolAsync(Uri gateway, string tool)
{
    using var client = new HttpClient();
    var deadline = DateTime.UtcNow.AddSeconds(30);
    while (!(await client.GetStringAsync(new Uri(gateway, "tools"))).Contains($"\"{tool}\"", StringComparison.Ordinal))
    {
        if (DateTime.UtcNow > deadline)
        {
            throw new InvalidOperationException($"the gateway did not list the federated tool '{tool}' within 30 s");
        }

        await Task.Delay(100);
    }
}

static async Task VerifyAsync(IEnumerable<BenchPath> paths)
{
    // Only a real result counts: JSON-RPC errors and isError results also travel in 200 responses.
    using var client = new HttpClient();
    foreach (var path in paths)
    {
        using var response = await client.SendAsync(LoadGenerator.Request(path));
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode || text.Contains("\"error\":{", StringComparison.Ordinal) || text.Contains("\"isError\":true", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{path.Name} does not answer with a result ({(int)response.StatusCode}): {text}");
        }
    }
}

static string RuntimeSettings(string assembly)
{
    var config = Path.ChangeExtension(assembly, ".runtimeconfig.json");
    var server = File.Exists(config) && JsonDocument.Parse(File.ReadAllText(config)).RootElement.GetProperty("runtimeOptions").TryGetProperty("configProperties", out var properties)
        && properties.TryGetProperty("System.GC.Server", out var gc) && gc.GetBoolean();
    string[] knobs = ["DOTNET_gc", "DOTNET_GC", "DOTNET_Tiered", "DOTNET_TC_", "DOTNET_ReadyToRun", "DOTNET_TieredPGO"];
    var overrides = Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(k => knobs.Any(k.StartsWith)).Order().ToArray();
    return $"{(server ? "server" : "workstation")} GC, tiered compilation with dynamic PGO (the .NET defaults)" +
        (overrides.Length > 0 ? $", inherited overrides: {string.Join(' ', overrides)}" : ", no DOTNET_ overrides");
}

static string BenchRoutes(Uri backend) => $$$"""
{
  "ReverseProxy": {
    "Routes": {
      "bench_search": {
        "ClusterId": "bench",
        "Tool": {
          "Description": "Benchmark tool: POST /echo with the arguments as JSON.",
          "InputSchema": { "type": "object", "properties": { "query": { "type": "string", "minLength": 1 }, "top_k": { "type": "integer", "minimum": 1, "maximum": 50 } }, "required": [ "query" ], "additionalProperties": false }
        },
        "Transforms": [ { "McpToolRequest": "POST /echo" } ]
      },
      "bench_graph": {
        "ClusterId": "bench",
        "Tool": {
          "Description": "Benchmark tool: a read-only Cypher query, validated, then POST /echo.",
          "InputSchema": { "type": "object", "properties": { "query": { "type": "string", "minLength": 1 }, "params": { "type": "object" } }, "required": [ "query" ], "additionalProperties": false }
        },
        "Transforms": [ { "ValidateCypher": "query", "MaxVariableLengthHops": "6" }, { "McpToolRequest": "POST /echo" } ]
      },
      "bench_code": {
        "ClusterId": "bench",
        "Tool": {
          "Description": "Benchmark tool: a repository path, validated, then POST /echo.",
          "InputSchema": { "type": "object", "properties": { "path": { "type": "string", "minLength": 1 } }, "required": [ "path" ], "additionalProperties": false }
        },
        "Transforms": [ { "ValidatePath": "path", "AllowedRoots": "/repo", "PathRules": "Posix", "Symlinks": "BackendConfines", "ForwardRelative": "true" }, { "McpToolRequest": "POST /echo" } ]
      },
      "bench-rest": { "ClusterId": "bench", "Match": { "Path": "/bench/{**rest}" }, "Transforms": [ { "PathPattern": "/{**rest}" } ] }
    },
    "Clusters": { "bench": { "Destinations": { "d1": { "Address": "{{{backend}}}" } } } }
  }
}
""";

static string WithFederation(string routes, Uri upstream)
{
    var document = System.Text.Json.Nodes.JsonNode.Parse(routes)!;
    document["ReverseProxy"]!["Clusters"]!["bench-mcp"] = System.Text.Json.Nodes.JsonNode.Parse($$"""{ "Destinations": { "d1": { "Address": "{{upstream}}" } } }""");
    document["Federation"] = System.Text.Json.Nodes.JsonNode.Parse("""{ "Upstreams": { "up": { "ClusterId": "bench-mcp" } } }""");
    return document.ToJsonString();
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

internal readonly record struct Cell(LoadResult Result, double CpuMicros);
