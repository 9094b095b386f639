using System.Net;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Observability.Integration;

/// <summary>Serilog as operators see it: one JSON line per request on standard output (live levels: LoggingReloadTests).</summary>
[CancelAfter(90_000)]
public sealed class GatewayLoggingTests
{
    [Test]
    public async Task AtDebug_EverySuccessfulRequestHasOneLineWithRequestIdToolPrincipalStatusAndElapsed()
    {
        var run = await RunCallsAsync(AppContext.BaseDirectory, stopGracefully: false, new() { ["Serilog__MinimumLevel__Override__Serilog.AspNetCore.RequestLoggingMiddleware"] = "Debug" });

        var lines = run.RequestLines(run.SucceededId);
        Assert.That(lines, Has.Count.EqualTo(1), string.Join("\n", run.Output));
        var properties = lines[0]["Properties"]!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That((string?)lines[0]["Level"], Is.EqualTo("Debug"));
            Assert.That((string?)properties["RequestPath"], Is.EqualTo("/tools/call"));
            Assert.That((string?)properties["Tool"], Is.EqualTo("echo_tool"));
            Assert.That((string?)properties["Principal"], Is.EqualTo("anonymous"));
            Assert.That((int?)properties["StatusCode"], Is.EqualTo(200));
            Assert.That((double?)properties["Elapsed"], Is.GreaterThan(0));
            Assert.That((string?)properties["TraceId"], Is.EqualTo(TraceIdOf(run.SucceededId)), "the caller's W3C trace id");
            Assert.That((string?)lines[0]["RenderedMessage"], Does.StartWith("HTTP POST /tools/call responded 200 in "));
        });
    }

    [Test]
    public async Task AtTheDefaultLevel_SuccessIsQuiet_RefusedAndFailedCallsAreWarnings()
    {
        var run = await RunCallsAsync(AppContext.BaseDirectory, stopGracefully: false);

        var refused = run.RequestLines(run.RefusedId);
        var failed = run.RequestLines(run.FailedMcpId);
        Assert.Multiple(() =>
        {
            Assert.That(run.RequestLines(run.SucceededId), Is.Empty, "a successful call logs at Debug: " + string.Join("\n", run.Output));
            Assert.That(refused, Has.Count.EqualTo(1), string.Join("\n", run.Output));
            Assert.That(failed, Has.Count.EqualTo(1), string.Join("\n", run.Output));
        });
        Assert.Multiple(() =>
        {
            Assert.That((string?)refused[0]["Level"], Is.EqualTo("Warning"));
            Assert.That((int?)refused[0]["Properties"]!["StatusCode"], Is.EqualTo(404));
            Assert.That((string?)refused[0]["Properties"]!["Error"], Is.EqualTo("ToolNotFound"));

            // An MCP isError result travels in a 200 response; the failed call still raises the line.
            Assert.That((string?)failed[0]["Level"], Is.EqualTo("Warning"));
            Assert.That((int?)failed[0]["Properties"]!["StatusCode"], Is.EqualTo(200));
            Assert.That((string?)failed[0]["Properties"]!["Error"], Is.EqualTo("InvalidArguments"));
            Assert.That((string?)failed[0]["Properties"]!["Tool"], Is.EqualTo("echo_tool"));
        });
    }

    [Test]
    public async Task GracefulShutdown_WritesTheLinesStillQueued()
    {
        var run = await RunCallsAsync(AppContext.BaseDirectory, stopGracefully: true);

        // Stopped right after the responses, before a batch interval passed: the lines come out only if shutdown flushes.
        Assert.That(run.RequestLines(run.FailedMcpId), Has.Count.EqualTo(1), string.Join("\n", run.Output));
    }

    [Test]
    public async Task WithoutAppsettingsJson_FrameworkRequestLogsStayQuiet()
    {
        // A working directory without appsettings.json: the Serilog section is absent, the code's defaults apply.
        var bare = Directory.CreateTempSubdirectory("gateway-logging-bare-").FullName;
        var run = await RunCallsAsync(bare, stopGracefully: false);

        Assert.Multiple(() =>
        {
            Assert.That(run.RequestLines(run.RefusedId), Has.Count.EqualTo(1), string.Join("\n", run.Output));
            Assert.That(run.RequestLines(run.SucceededId), Is.Empty);
            Assert.That(run.Output.Where(line => line.Contains("\"SourceContext\":\"Microsoft.AspNetCore", StringComparison.Ordinal) || line.Contains("\"SourceContext\":\"Yarp", StringComparison.Ordinal)),
                Is.Empty, "framework Information lines for every request");
        });
    }

    /// <summary>One gateway run with three calls: a successful facade call, a facade call of an unknown tool, and an MCP call with invalid arguments.</summary>
    private static async Task<CallsRun> RunCallsAsync(string workingDirectory, bool stopGracefully, Dictionary<string, string>? settings = null)
    {
        await using var echo = await TestBackend.StartEchoAsync();
        var directory = Directory.CreateTempSubdirectory("gateway-logging-").FullName;
        var routes = Path.Combine(directory, "routes.json");
        await File.WriteAllTextAsync(routes, new RoutesJson()
            .Cluster("echo", echo.Address)
            .Tool("echo_tool", "echo", "POST /echo", """{"type":"object","properties":{"text":{"type":"string"}},"additionalProperties":false}""")
            .ToString());
        var port = FreePort.Next();
        var run = new CallsRun("ok-" + Guid.NewGuid().ToString("N"), "refused-" + Guid.NewGuid().ToString("N"), "failed-" + Guid.NewGuid().ToString("N"));
        var environment = new Dictionary<string, string>
        {
            ["MCP_GATEWAY_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["MCP_GATEWAY_ROUTES_PATH"] = routes,
            ["MCP_GATEWAY_AUDIT_LOG_PATH"] = Path.Combine(directory, "audit.jsonl"),
        };
        foreach (var (key, value) in settings ?? [])
        {
            environment[key] = value;
        }

        run.Output = await RunGatewayAsync(
            environment,
            async http =>
            {
                await SendAsync(http, "tools/call", run.SucceededId, JsonContent.Create(new { tool = "echo_tool", arguments = new { text = "hi" } }), HttpStatusCode.OK);
                await SendAsync(http, "tools/call", run.RefusedId, JsonContent.Create(new { tool = "no_such_tool", arguments = new { } }), HttpStatusCode.NotFound);
                var mcp = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo_tool","arguments":{"text":7}}}""", System.Text.Encoding.UTF8, "application/json");
                await SendAsync(http, "mcp", run.FailedMcpId, mcp, HttpStatusCode.OK);
            },
            port,
            workingDirectory,
            stopGracefully);
        return run;
    }

    private static async Task SendAsync(HttpClient http, string path, string requestId, HttpContent content, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Add("X-Request-ID", requestId);
        request.Headers.Add("traceparent", $"00-{TraceIdOf(requestId)}-00f067aa0ba902b7-01");
        request.Headers.Add("Accept", "application/json, text/event-stream");
        using var response = await http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(expected), await response.Content.ReadAsStringAsync());
    }

    private static string TraceIdOf(string requestId) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(requestId)))[..32];

    private sealed record CallsRun(string SucceededId, string RefusedId, string FailedMcpId)
    {
        public List<string> Output { get; set; } = [];

        public List<JsonObject> RequestLines(string requestId) => Output
            .Where(line => line.StartsWith('{'))
            .Select(line => JsonNode.Parse(line)!.AsObject())
            .Where(line => (string?)line["Properties"]?["RequestId"] == requestId && line["Properties"]?["StatusCode"] is not null)
            .ToList();
    }

    /// <summary>
    /// Runs <c>dotnet Gateway.Proxy.dll</c> in <paramref name="workingDirectory"/>, waits until it answers, runs
    /// <paramref name="exercise"/>, stops it (SIGTERM and a wait for exit, or after a moment SIGKILL); returns its standard output.
    /// </summary>
    private static async Task<List<string>> RunGatewayAsync(
        IReadOnlyDictionary<string, string> environment, Func<HttpClient, Task> exercise, int port, string? workingDirectory = null, bool stopGracefully = false)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Gateway.Proxy.dll"));
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var output = new List<string>();
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.Add(e.Data);
                }
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (true)
            {
                try
                {
                    using var health = await http.GetAsync("health");
                    if (health.IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (HttpRequestException) when (DateTime.UtcNow < deadline && !process.HasExited)
                {
                }

                await Task.Delay(100);
            }

            await exercise(http);
            if (stopGracefully)
            {
                using var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
                await term.WaitForExitAsync();
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
            else
            {
                // JSON lines are written in batches at most 50 ms apart.
                await Task.Delay(500);
            }
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
        }

        lock (output)
        {
            return [.. output];
        }
    }
}
