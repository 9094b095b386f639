using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Gateway.Transforms.RateLimiting;
using Gateway.Transforms.Schema;
using Gateway.Transforms.Validation.Cypher;
using Gateway.Transforms.Validation.Limits;
using Gateway.Transforms.Validation.Paths;
using StackExchange.Redis;

namespace Gateway.Bench;

/// <summary>Per-call cost of the pipeline's pure steps, and the rate limiter against a real Redis on 127.0.0.1.</summary>
internal static class MicroBenchmarks
{
    public static List<string[]> RunPureSteps(int iterations)
    {
        const string Query = "MATCH (s:Service {name: $name})-[:DEPENDS_ON*1..3]->(d:Service) WHERE d.tier = 'critical' RETURN s.name, collect(d.name) AS deps ORDER BY s.name LIMIT 25";
        const string Attack = "MATCH (n) WITH n CALL { WITH n DETACH DELETE n } IN TRANSACTIONS RETURN count(*)";
        var cypher = CypherPolicy.ReadOnly;
        var paths = new ConfinedPathValidator(new PathPolicy { AllowedRoots = ["/repo"], Rules = PathRules.Posix, Symlinks = SymlinkHandling.BackendConfines });
        var windows = new ConfinedPathValidator(new PathPolicy { AllowedRoots = [@"C:\repos"], Rules = PathRules.Windows, Symlinks = SymlinkHandling.BackendConfines });
        var schema = ToolSchema.Compile(JsonDocument.Parse("""
            {"type":"object","properties":{"query":{"type":"string","minLength":1},"top_k":{"type":"integer","minimum":1,"maximum":50},
             "collection":{"type":"string","enum":["docs","runbooks","adr"]}},"required":["query"],"additionalProperties":false}
            """).RootElement, out _);
        var arguments = JsonDocument.Parse("""{"query":"how do we rotate the redis password","top_k":5,"collection":"runbooks"}""").RootElement;
        var limits = new ArgumentLimits();

        return
        [
            Measure("Cypher validator, 150-char read query (allowed)", iterations, () => CypherReadOnlyValidator.Validate(Query, cypher).IsAllowed),
            Measure("Cypher validator, write inside CALL subquery (rejected)", iterations, () => CypherReadOnlyValidator.Validate(Attack, cypher).IsAllowed),
            Measure("Path validator, POSIX relative path (allowed)", iterations, () => paths.Validate("src/Billing/../Billing/InvoiceService.cs").IsAllowed),
            Measure("Path validator, Windows rules, encoded traversal (rejected)", iterations, () => windows.Validate(@"C:\repos\..%5C..%5Cwindows\system32").IsAllowed),
            Measure("Input schema check, semantic_search arguments", iterations, () => schema.Validate(arguments).IsValid),
            Measure("Argument limits check", iterations, () => ArgumentLimitChecker.Check(arguments, limits) is null),
        ];
    }

    public static async Task<List<string[]>> RunRateLimiterAsync(int iterations)
    {
        var rows = new List<string[]>();
        var rule = new RateLimitRule("bench", RateLimitAlgorithm.SlidingWindow, 1_000_000, TimeSpan.FromMinutes(1));
        var bucket = new RateLimitRule("bench-bucket", RateLimitAlgorithm.TokenBucket, 1_000_000, TimeSpan.FromMinutes(1));
        var memory = new InMemoryRateLimitStore();
        rows.Add(await MeasureAsync("In-memory limiter, sliding window", iterations, () => memory.AcquireAsync("principal:bench|tool:x", rule, default)));

        var redisServer = FindOnPath("redis-server");
        if (redisServer is null)
        {
            rows.Add(["Redis limiter", "skipped: redis-server not on PATH (apt-get install redis-server)", "", "", ""]);
            return rows;
        }

        var port = FreePort.Next();
        using var server = Process.Start(new ProcessStartInfo(redisServer, $"--port {port} --bind 127.0.0.1 --save \"\" --appendonly no")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            // The gateway's settings (abortConnect=false, FailFast), so a server still starting is retried, not fatal.
            var options = ConfigurationOptions.Parse($"127.0.0.1:{port},abortConnect=false,connectTimeout=1000,asyncTimeout=1000");
            options.BacklogPolicy = BacklogPolicy.FailFast;
            await using var connection = new RedisConnection(options);
            var database = await connection.GetDatabaseAsync();
            for (var attempt = 0; attempt < 50; attempt++)
            {
                try
                {
                    await database.PingAsync();
                    break;
                }
                catch (RedisConnectionException)
                {
                    await Task.Delay(50);
                }
            }

            var store = new RedisRateLimitStore(connection);
            await store.WarmUpAsync();
            rows.Add(await MeasureAsync("StackExchange.Redis PING (redis-server 127.0.0.1)", iterations, () => new ValueTask<TimeSpan>(database.PingAsync())));
            rows.Add(await MeasureAsync("Redis limiter, sliding window (EVALSHA, server TIME)", iterations, () => store.AcquireAsync("principal:bench|tool:x", rule, default)));
            rows.Add(await MeasureAsync("Redis limiter, token bucket (EVALSHA, server TIME)", iterations, () => store.AcquireAsync("principal:bench|tool:y", bucket, default)));
            rows.Add(await MeasureConcurrentAsync("Redis limiter, 64 concurrent callers", iterations, 64, i => store.AcquireAsync("principal:c" + (i % 64), rule, default)));
        }
        finally
        {
            server.Kill();
        }

        return rows;
    }

    private static string[] Measure<T>(string name, int iterations, Func<T> action)
    {
        for (var i = 0; i < Math.Min(iterations, 10_000); i++)
        {
            action();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < iterations; i++)
        {
            action();
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var bytes = (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)iterations;
        return [name, $"{elapsed.TotalNanoseconds / iterations / 1000.0:F2} µs", $"{bytes:F0} B", "", ""];
    }

    private static async Task<string[]> MeasureAsync<T>(string name, int iterations, Func<ValueTask<T>> action)
    {
        for (var i = 0; i < Math.Min(iterations, 2_000); i++)
        {
            await action();
        }

        var latencies = new Latencies();

        // Async continuations hop threads, so allocations are counted process-wide (the harness is otherwise idle here).
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < iterations; i++)
        {
            var one = Stopwatch.GetTimestamp();
            await action();
            latencies.Add(Stopwatch.GetElapsedTime(one));
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var bytes = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)iterations;
        return [name, $"{elapsed.TotalNanoseconds / iterations / 1000.0:F2} µs", $"{bytes:F0} B", $"{latencies.PercentileMs(0.5) * 1000:F0} µs", $"{latencies.PercentileMs(0.99) * 1000:F0} µs"];
    }

    private static async Task<string[]> MeasureConcurrentAsync<T>(string name, int iterations, int concurrency, Func<int, ValueTask<T>> action)
    {
        var started = Stopwatch.GetTimestamp();
        var next = -1;
        var latencies = new Latencies[concurrency];
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var local = latencies[worker] = new Latencies();
            int i;
            while ((i = Interlocked.Increment(ref next)) < iterations)
            {
                var one = Stopwatch.GetTimestamp();
                await action(i);
                local.Add(Stopwatch.GetElapsedTime(one));
            }
        }));
        var elapsed = Stopwatch.GetElapsedTime(started);
        var total = new Latencies();
        foreach (var l in latencies)
        {
            total.Merge(l);
        }

        return [name, $"{iterations / elapsed.TotalSeconds:F0} decisions/s", "", $"{total.PercentileMs(0.5) * 1000:F0} µs", $"{total.PercentileMs(0.99) * 1000:F0} µs"];
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

}
