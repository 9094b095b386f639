using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Resilience;

/// <summary>The real gateway as its own process (<c>dotnet Gateway.Proxy.dll</c>), so a test can send it real signals.</summary>
internal sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private GatewayProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri Address { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<GatewayProcess> StartAsync(string workingDirectory, params string[] arguments)
    {
        var port = FreePort.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Gateway.Proxy.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var gateway = new GatewayProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}/"));
        await gateway.WaitUntilServingAsync();
        return gateway;
    }

    /// <summary>
    /// Starts <c>dotnet Gateway.Proxy.dll</c> configured only by <paramref name="environment"/> (no <c>--urls</c>), as a
    /// container would be, and waits until <paramref name="address"/> answers /health.
    /// </summary>
    public static async Task<GatewayProcess> StartWithEnvironmentAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, Uri address)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Gateway.Proxy.dll"));
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var gateway = new GatewayProcess(Process.Start(start)!, address);
        try
        {
            await gateway.WaitUntilServingAsync();
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }

        return gateway;
    }

    /// <summary>What Kubernetes sends on pod deletion (Process.Kill would be SIGKILL).</summary>
    public async Task SendSigtermAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    public async Task WaitForOutputAsync(string text, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
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

    private async Task WaitUntilServingAsync()
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                using var response = await http.GetAsync("health");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"The gateway process did not start serving:{Environment.NewLine}{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

}
