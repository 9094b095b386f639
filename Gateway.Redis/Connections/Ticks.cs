using System.Diagnostics;

namespace Gateway.Redis.Connections;

internal static class Ticks
{
    public static long From(TimeSpan duration) => (long)(duration.TotalSeconds * Stopwatch.Frequency);

    public static TimeSpan ToTimeSpan(long ticks) => TimeSpan.FromSeconds((double)ticks / Stopwatch.Frequency);
}
