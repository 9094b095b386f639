using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Federation;

/// <summary>
/// The MCP project's reference server, <c>@modelcontextprotocol/server-everything</c>, as installed by <c>npm ci</c> in
/// samples/federation (.ci/run does it).
/// </summary>
internal static class ServerEverything
{
    public static readonly string SampleDirectory = Path.Combine(SeedRoutes.RepositoryRoot, "samples", "federation");

    public static readonly string Script = Path.Combine(SampleDirectory, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js");

    /// <summary>Ignores the calling fixture, with how to install it, when the server is not installed.</summary>
    public static void RequireInstalled()
    {
        if (!File.Exists(Script))
        {
            Assert.Ignore($"@modelcontextprotocol/server-everything is not installed: run (cd samples/federation && npm ci) (needs node and npm; .ci/run does it). Looked for {Script}.");
        }
    }
}

/// <summary>server-everything running in streamable HTTP mode on a free port of 127.0.0.1, stopped on dispose.</summary>
internal sealed class RunningServerEverything : IAsyncDisposable
{
    private readonly System.Diagnostics.Process _process;

    private RunningServerEverything(System.Diagnostics.Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}/");

    /// <summary>
    /// Starts it in <paramref name="mode"/> (<c>streamableHttp</c>, <c>sse</c>) on <paramref name="port"/> (a free one by
    /// default; the same one again to restart it) and waits until it listens; ignores the fixture when it or node is not installed.
    /// </summary>
    public static async Task<RunningServerEverything> StartAsync(string mode = "streamableHttp", int? port = null)
    {
        ServerEverything.RequireInstalled();
        var listenPort = port ?? FreePort.Next();
        var start = new System.Diagnostics.ProcessStartInfo("node", [ServerEverything.Script, mode])
        {
            WorkingDirectory = ServerEverything.SampleDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["PORT"] = listenPort.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };
        System.Diagnostics.Process process;
        try
        {
            process = System.Diagnostics.Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            Assert.Ignore($"node is not installed or not on PATH ({ex.Message}); the server-everything tests need Node.js 20+.");
            throw;
        }

        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var running = new RunningServerEverything(process, listenPort);
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(running.Address, "mcp"));
                return running;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
