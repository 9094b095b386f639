using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Gateway.Bench;

/// <summary>
/// Closed-loop load from wrk, a separate C process: the load generator must not share the gateway's runtime, thread
/// pool or GC, and costs far less CPU than an HttpClient loop on the 2 cores everything shares.
/// </summary>
internal static class Wrk
{
    public static bool Available { get; } = Probe();

    public static async Task<LoadResult> RunAsync(BenchPath path, int connections, TimeSpan duration, string scratchDirectory)
    {
        var script = Path.Combine(scratchDirectory, path.Key + ".lua");
        if (!File.Exists(script))
        {
            await File.WriteAllTextAsync(script, Script(path));
        }

        var threads = Math.Min(connections, 2);
        var info = new ProcessStartInfo("wrk")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { $"-t{threads}", $"-c{connections}", $"-d{duration.TotalSeconds:F0}s", "--timeout", "10s", "-s", script, path.Url.ToString() })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start wrk");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("WRKJSON ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("wrk printed no summary: " + output + await process.StandardError.ReadToEndAsync());
        using var summary = JsonDocument.Parse(line["WRKJSON ".Length..]);
        var root = summary.RootElement;
        var requests = root.GetProperty("requests").GetInt64();
        var seconds = root.GetProperty("duration_us").GetInt64() / 1e6;
        var errors = root.GetProperty("connect").GetInt64() + root.GetProperty("read").GetInt64() + root.GetProperty("write").GetInt64()
            + root.GetProperty("status").GetInt64() + root.GetProperty("timeout").GetInt64();
        return new LoadResult(requests, requests / seconds, root.GetProperty("p50").GetInt64() / 1000.0, root.GetProperty("p99").GetInt64() / 1000.0, errors);
    }

    private static string Script(BenchPath path)
    {
        var builder = new StringBuilder();
        builder.Append("wrk.method = \"POST\"\n");
        builder.Append("wrk.body = [==[").Append(path.Body).Append("]==]\n");
        builder.Append("wrk.headers[\"Content-Type\"] = \"application/json\"\n");
        foreach (var (name, value) in path.Headers)
        {
            builder.Append(CultureInfo.InvariantCulture, $"wrk.headers[\"{name}\"] = \"{value}\"\n");
        }

        // Latencies are in microseconds; "status" counts answers that are not 2xx/3xx.
        builder.Append("""
            done = function(summary, latency, requests)
              io.write(string.format("WRKJSON {\"requests\":%d,\"duration_us\":%d,\"p50\":%d,\"p99\":%d,\"connect\":%d,\"read\":%d,\"write\":%d,\"status\":%d,\"timeout\":%d}\n",
                summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
                summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout))
            end

            """);
        return builder.ToString();
    }

    private static bool Probe()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("wrk", "--version") { RedirectStandardOutput = true, RedirectStandardError = true });
            process?.WaitForExit(5000);
            return process is not null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
