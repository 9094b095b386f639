using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Gateway.Bench;

/// <summary>The real gateway binary in its own process, so its working set and CPU are its own.</summary>
internal sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;

    private GatewayProcess(Process process, Uri address, TimeSpan timeToReady)
    {
        _process = process;
        Address = address;
        TimeToReady = timeToReady;
    }

    public Uri Address { get; }

    public TimeSpan TimeToReady { get; }

    public long WorkingSetBytes
    {
        get
        {
            _process.Refresh();
            return _process.WorkingSet64;
        }
    }

    public static async Task<GatewayProcess> StartAsync(string routesPath, string directory, IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = FreePort.Next();
        var address = new Uri($"http://127.0.0.1:{port}/");
        var info = new ProcessStartInfo("dotnet", $"\"{Path.Combine(AppContext.BaseDirectory, "Gateway.Proxy.dll")}\" --urls {address.ToString().TrimEnd('/')}")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["MCP_GATEWAY_ROUTES_PATH"] = routesPath;
        info.Environment["MCP_GATEWAY_AUDIT_LOG_PATH"] = Path.Combine(directory, "audit.jsonl");
        info.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        info.Environment["DOTNET_gcServer"] = "0";

        // The harness measures the proxy path; the default per-caller limit (600/min) would turn most calls into 429s.
        info.Environment["Gateway__RateLimiting__DefaultRequestsPerMinute"] = "0";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var started = Stopwatch.GetTimestamp();
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the gateway");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine("gateway: " + e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var ready = await http.GetAsync(new Uri(address, "ready"));
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return new GatewayProcess(process, address, Stopwatch.GetElapsedTime(started));
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(10);
        }

        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException("the gateway did not become ready within 30 s");
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
