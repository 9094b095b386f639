using System.Diagnostics;
using System.Text;

namespace Gateway.Tests.Federation.Pinning;

/// <summary>Runs the built CLI, <c>dotnet Gateway.Proxy.dll pins …</c>, as an operator would.</summary>
public static class PinsCli
{
    public static Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments) =>
        RunToExitAsync(["pins", .. arguments], new Dictionary<string, string>());

    public static Task<(int ExitCode, string Output, string Error)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        RunToExitAsync(["pins", .. arguments], environment);

    /// <summary>Runs the gateway itself (no subcommand) until it exits: for settings it must refuse to start with.</summary>
    public static Task<(int ExitCode, string Output, string Error)> RunGatewayAsync(IReadOnlyDictionary<string, string> environment) =>
        RunToExitAsync([], environment);

    private static async Task<(int ExitCode, string Output, string Error)> RunToExitAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Gateway.Proxy.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var error = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(error, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("'" + string.Join(' ', arguments) + "' did not exit within 90 s");
        }

        process.WaitForExit();
        lock (output)
        {
            lock (error)
            {
                return (process.ExitCode, output.ToString(), error.ToString());
            }
        }
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is not null)
        {
            lock (builder)
            {
                builder.AppendLine(line);
            }
        }
    }
}
