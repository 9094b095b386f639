using System.Diagnostics;
using System.Net;
using System.Text;

namespace Gateway.Bench;

/// <summary>
/// The fallback where wrk is not installed: a closed-loop HttpClient load in this process. It shares the cores and the
/// runtime with the backend, so its figures are lower and noisier than wrk's; the table says which one ran.
/// </summary>
internal static class LoadGenerator
{
    public static async Task<LoadResult> RunAsync(BenchPath path, int connections, TimeSpan duration)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = TimeSpan.FromMinutes(10), UseProxy = false };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            var latencies = new Latencies();
            long errors = 0;
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var sent = Stopwatch.GetTimestamp();
                using var message = Request(path);
                using var response = await client.SendAsync(message, HttpCompletionOption.ResponseContentRead);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    errors++;
                }

                latencies.Add(Stopwatch.GetElapsedTime(sent));
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

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new LoadResult(total.Count, total.Count / seconds, total.PercentileMs(0.50), total.PercentileMs(0.99), totalErrors);
    }

    public static HttpRequestMessage Request(BenchPath path)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path.Url) { Content = new StringContent(path.Body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in path.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }
}
