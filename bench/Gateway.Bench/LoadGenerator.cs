using System.Diagnostics;
using System.Net;

namespace Gateway.Bench;

/// <summary>Closed-loop HTTP load: N workers, each sending the next request as soon as the previous one completes.</summary>
internal static class LoadGenerator
{
    public static async Task<LoadResult> RunAsync(Func<HttpRequestMessage> request, Func<HttpResponseMessage, ValueTask<bool>> succeeded, int connections, TimeSpan duration, TimeSpan warmup)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = TimeSpan.FromMinutes(10), UseProxy = false };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };

        await RunPhaseAsync(client, request, succeeded, connections, warmup, record: false);
        var (latencies, errors) = await RunPhaseAsync(client, request, succeeded, connections, duration, record: true);
        return new LoadResult(latencies.Count / duration.TotalSeconds, latencies.PercentileMs(0.50), latencies.PercentileMs(0.99), errors);
    }

    private static async Task<(Latencies Latencies, long Errors)> RunPhaseAsync(HttpClient client, Func<HttpRequestMessage> request, Func<HttpResponseMessage, ValueTask<bool>> succeeded, int connections, TimeSpan duration, bool record)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            var latencies = new Latencies();
            long errors = 0;
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var started = Stopwatch.GetTimestamp();
                using var message = request();
                using var response = await client.SendAsync(message, HttpCompletionOption.ResponseContentRead);
                if (response.StatusCode != HttpStatusCode.OK || !await succeeded(response))
                {
                    errors++;
                }

                if (record)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(started));
                }
            }

            return (latencies, errors);
        })).ToArray();

        var total = new Latencies();
        long totalErrors = 0;
        foreach (var (latencies, errors) in await Task.WhenAll(workers))
        {
            total.Merge(latencies);
            totalErrors += errors;
        }

        return (total, totalErrors);
    }
}

internal readonly record struct LoadResult(double RequestsPerSecond, double P50Ms, double P99Ms, long Errors);
