using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Gateway.Bench;

/// <summary>
/// A server measured in its own process, so its working set and CPU are its own: the real gateway binary, or the bare
/// stack it is built on (<see cref="BareStack"/>).
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, Uri address, TimeSpan timeToReady)
    {
        _process = process;
        Address = address;
        TimeToReady = timeToReady;
    }

    public Uri Address { get; }

    public TimeSpan TimeToReady { get; }

    public int Pid => _process.Id;

    /// <summary>The gateway built with this harness; <c>--baseline</c> points at another build to compare with.</summary>
    public static string OwnBuild => Path.Combine(AppContext.BaseDirectory, "Gateway.Proxy.dll");

    public static async Task<ServerProcess> StartGatewayAsync(string assembly, string routesPath, string directory, IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = FreePort.Next();
        var address = new Uri($"http://127.0.0.1:{port}/");
        // The gateway logs as it would in a container: its stdout and stderr go to a file, not through this process.
        var log = Path.Combine(directory, $"gateway-{port}.log");
        var info = new ProcessStartInfo("/bin/sh")
        {
            ArgumentList = { "-c", $"exec dotnet \"{assembly}\" --urls {address.ToString().TrimEnd('/')} >\"{log}\" 2>&1" },
            // Beside its own appsettings.json, as a deployment runs it: the defaults measured are the shipped ones.
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        info.Environment["MCP_GATEWAY_ROUTES_PATH"] = routesPath;
        info.Environment["MCP_GATEWAY_AUDIT_LOG_PATH"] = Path.Combine(directory, $"audit-{port}.jsonl");

        // Every guard stays on: the default per-caller limit (600/min) still runs on every call, set high enough that the
        // load is not refused.
        info.Environment["Gateway__RateLimiting__DefaultRequestsPerMinute"] = "1000000000";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return await StartAsync(info, address, log);
    }

    /// <summary>The bare stack under the gateway's GC setting (server GC, from its Web SDK runtimeconfig).</summary>
    public static async Task<ServerProcess> StartBareStackAsync(Uri backend, string directory)
    {
        var port = FreePort.Next();
        var address = new Uri($"http://127.0.0.1:{port}/");
        var log = Path.Combine(directory, $"bare-{port}.log");
        var harness = Path.Combine(AppContext.BaseDirectory, "Gateway.Bench.dll");
        var info = new ProcessStartInfo("/bin/sh")
        {
            ArgumentList = { "-c", $"exec dotnet \"{harness}\" {BareStack.Command} {address.ToString().TrimEnd('/')} {backend} >\"{log}\" 2>&1" },
        };
        info.Environment["DOTNET_gcServer"] = "1";
        return await StartAsync(info, address, log);
    }

    private static async Task<ServerProcess> StartAsync(ProcessStartInfo info, Uri address, string log)
    {
        var started = Stopwatch.GetTimestamp();
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the gateway");
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{info.ArgumentList[^1]} exited at startup: " + await File.ReadAllTextAsync(log));
            }

            try
            {
                using var ready = await http.GetAsync(new Uri(address, "ready"));
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return new ServerProcess(process, address, Stopwatch.GetElapsedTime(started));
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(5);
        }

        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException($"{info.ArgumentList[^1]} did not become ready within 30 s: " + await File.ReadAllTextAsync(log));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

}
