using System.Globalization;

namespace Gateway.Bench;

/// <summary>
/// CPU time and memory of a process and its children, read from /proc: utime+stime is the figure that stays stable
/// on a noisy 2-core machine where throughput and latency move with whatever else runs.
/// </summary>
internal static class ProcessStats
{
    private static readonly double s_ticksPerSecond = 100.0; // USER_HZ on Linux

    public static bool Available => File.Exists("/proc/self/stat");

    /// <summary>CPU seconds used so far by the process and every live descendant (nginx's workers).</summary>
    public static double CpuSeconds(int pid)
    {
        if (!Available)
        {
            return 0;
        }

        var total = 0.0;
        foreach (var id in SelfAndDescendants(pid))
        {
            if (ReadStat(id) is { } fields)
            {
                total += (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / s_ticksPerSecond;
            }
        }

        return total;
    }

    /// <summary>Resident set and its high-water mark in MiB, summed over the process and its descendants.</summary>
    public static (double Rss, double Peak) MemoryMiB(int pid)
    {
        double rss = 0, peak = 0;
        foreach (var id in SelfAndDescendants(pid))
        {
            try
            {
                foreach (var line in File.ReadLines($"/proc/{id}/status"))
                {
                    if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    {
                        rss += Kib(line) / 1024.0;
                    }
                    else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    {
                        peak += Kib(line) / 1024.0;
                    }
                }
            }
            catch (IOException)
            {
            }
        }

        return (rss, peak);
    }

    private static long Kib(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    private static IEnumerable<int> SelfAndDescendants(int pid)
    {
        yield return pid;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var id) && id != pid && ReadStat(id) is { } fields
                && int.Parse(fields[1], CultureInfo.InvariantCulture) == pid)
            {
                yield return id;
            }
        }
    }

    /// <summary>The fields of /proc/pid/stat after the command name (which may contain spaces): [0] = state, [1] = ppid.</summary>
    private static string[]? ReadStat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
