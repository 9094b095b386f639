using System.Diagnostics;

namespace Gateway.Tests.Observability.Metrics;

/// <summary>Runs <c>promtool check metrics</c> when promtool is installed (Debian package "prometheus").</summary>
internal static class Promtool
{
    public static string? FindExecutable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "promtool"))
            .FirstOrDefault(File.Exists);

    /// <summary>Returns promtool's exit code and combined output, or ignores the test when promtool is missing.</summary>
    public static async Task<(int ExitCode, string Output)> CheckMetricsAsync(string exposition)
    {
        var executable = FindExecutable();
        if (executable is null)
        {
            Assert.Ignore("promtool is not on PATH; install it with 'apt-get install -y prometheus'.");
        }

        var start = new ProcessStartInfo(executable!, ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(exposition);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
