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
    public async Task ToolCall_WritesOneRequestLineWithRequestIdToolPrincipalStatusAndElapsed()
    {
        await using var echo = await TestBackend.StartEchoAsync();
        var directory = Directory.CreateTempSubdirectory("gateway-logging-").FullName;
        var routes = Path.Combine(directory, "routes.json");
        await File.WriteAllTextAsync(routes, new RoutesJson().Cluster("echo", echo.Address).Tool("echo_tool", "echo", "POST /echo").ToString());
        var port = FreePort.Next();
        var requestId = "log-" + Guid.NewGuid().ToString("N");

        var output = await RunGatewayAsync(
            new Dictionary<string, string>
            {
                ["MCP_GATEWAY_PORT"] = port.ToString(CultureInfo.InvariantCulture),
                ["MCP_GATEWAY_ROUTES_PATH"] = routes,
                ["MCP_GATEWAY_AUDIT_LOG_PATH"] = Path.Combine(directory, "audit.jsonl"),
                ["MCP_GATEWAY_LOG_FORMAT"] = "json",
            },
            async http =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "tools/call") { Content = JsonContent.Create(new { tool = "echo_tool", arguments = new { text = "hi" } }) };
                request.Headers.Add("X-Request-ID", requestId);
                using var response = await http.SendAsync(request);
                response.EnsureSuccessStatusCode();
            },
            port);

        var lines = output
            .Where(line => line.StartsWith('{'))
            .Select(line => JsonNode.Parse(line)!.AsObject())
            .Where(line => (string?)line["Properties"]?["RequestId"] == requestId)
            .ToList();
        Assert.That(lines, Has.Count.EqualTo(1), string.Join("\n", output));
        var properties = lines[0]["Properties"]!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That((string?)lines[0]["Level"], Is.EqualTo("Information"));
            Assert.That((string?)properties["RequestPath"], Is.EqualTo("/tools/call"));
            Assert.That((string?)properties["Tool"], Is.EqualTo("echo_tool"));
            Assert.That((string?)properties["Principal"], Is.EqualTo("anonymous"));
            Assert.That((int?)properties["StatusCode"], Is.EqualTo(200));
            Assert.That((double?)properties["Elapsed"], Is.GreaterThan(0));
            Assert.That((string?)lines[0]["RenderedMessage"], Does.StartWith("HTTP POST /tools/call responded 200 in "));
        });
    }

    [Test]
    public async Task GracefulShutdown_WritesTheLinesStillQueued()
    {
        var (output, requestId) = await RunToolCallAsync(AppContext.BaseDirectory, stopGracefully: true);

        // Stopped right after the response, before a batch interval passed: the line comes out only if shutdown flushes.
        Assert.That(output.Where(line => line.Contains(requestId, StringComparison.Ordinal) && line.Contains("responded 200", StringComparison.Ordinal)), Has.Exactly(1).Items, string.Join("\n", output));
    }

    [Test]
    public async Task WithoutAppsettingsJson_FrameworkRequestLogsStayQuiet()
    {
        // A working directory without appsettings.json: the Serilog section is absent, the code's defaults apply.
        var bare = Directory.CreateTempSubdirectory("gateway-logging-bare-").FullName;
        var (output, requestId) = await RunToolCallAsync(bare, stopGracefully: false);

        Assert.Multiple(() =>
        {
            Assert.That(output.Where(line => line.Contains(requestId, StringComparison.Ordinal) && line.Contains("responded 200", StringComparison.Ordinal)), Has.Exactly(1).Items, string.Join("\n", output));
            Assert.That(output.Where(line => line.Contains("\"SourceContext\":\"Microsoft.AspNetCore", StringComparison.Ordinal) || line.Contains("\"SourceContext\":\"Yarp", StringComparison.Ordinal)),
                Is.Empty, "framework Information lines for every request");
        });
    }

    private static async Task<(List<string> Output, string RequestId)> RunToolCallAsync(string workingDirectory, bool stopGracefully)
    {
        await using var echo = await TestBackend.StartEchoAsync();
        var directory = Directory.CreateTempSubdirectory("gateway-logging-").FullName;
        var routes = Path.Combine(directory, "routes.json");
        await File.WriteAllTextAsync(routes, new RoutesJson().Cluster("echo", echo.Address).Tool("echo_tool", "echo", "POST /echo").ToString());
        var port = FreePort.Next();
        var requestId = "log-" + Guid.NewGuid().ToString("N");
        var output = await RunGatewayAsync(
            new Dictionary<string, string>
            {
                ["MCP_GATEWAY_PORT"] = port.ToString(CultureInfo.InvariantCulture),
                ["MCP_GATEWAY_ROUTES_PATH"] = routes,
                ["MCP_GATEWAY_AUDIT_LOG_PATH"] = Path.Combine(directory, "audit.jsonl"),
            },
            async http =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "tools/call") { Content = JsonContent.Create(new { tool = "echo_tool", arguments = new { text = "hi" } }) };
                request.Headers.Add("X-Request-ID", requestId);
                using var response = await http.SendAsync(request);
                response.EnsureSuccessStatusCode();
            },
            port,
            workingDirectory,
            stopGracefully);
        return (output, requestId);
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
