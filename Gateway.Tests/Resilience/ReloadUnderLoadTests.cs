using System.Collections.Concurrent;
using Gateway.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Gateway.Tests.Resilience;

/// <summary>Reloading routes.json while tool calls and passthrough requests keep arriving fails none of them.</summary>
public sealed class ReloadUnderLoadTests
{
    [Test]
    public async Task RoutesRewrittenRepeatedlyUnderSteadyLoad_NoRequestFails()
    {
        await using var a = await FaultyBackend.StartAsync("a");
        await using var b = await FaultyBackend.StartAsync("b");
        string Routes(int version) => new RoutesJson()
            .Cluster("main", (version % 2 == 0 ? a : b).Address)
            .Tool("steady", "main", "POST /work")
            .Tool($"extra_{version}", "main", "POST /extra")
            .Route("api", """{"ClusterId":"main","Match":{"Path":"/api/{**rest}"}}""")
            .ToString();
        // This test is about reloads: the default per-caller rate limit would otherwise refuse the steady load.
        await using var gateway = await TestGateway.StartAsync(Routes(0), new Dictionary<string, string?> { ["Gateway:RateLimiting:DefaultRequestsPerMinute"] = "0" });
        using var http = new HttpClient { BaseAddress = gateway.Address, Timeout = TimeSpan.FromSeconds(20) };
        var transport = new HttpClientTransport(new HttpClientTransportOptions { Endpoint = gateway.McpEndpoint, TransportMode = HttpTransportMode.StreamableHttp });
        await using var client = await McpClient.CreateAsync(transport);

        var failures = new ConcurrentQueue<string>();
        var completed = 0;
        using var stop = new CancellationTokenSource();
        async Task LoopAsync(Func<Task<string?>> call)
        {
            while (!stop.IsCancellationRequested)
            {
                if (await call() is { } failure)
                {
                    failures.Enqueue(failure);
                }

                Interlocked.Increment(ref completed);
            }
        }

        async Task<string?> RestToolCallAsync()
        {
            var (status, _, text) = await GatewayProbe.CallToolTextAsync(http, "steady");
            return status == 200 ? null : $"tools/call {status}: {text}";
        }

        async Task<string?> PassthroughAsync()
        {
            using var response = await http.GetAsync("api/items");
            return response.IsSuccessStatusCode ? null : $"passthrough {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
        }

        async Task<string?> McpToolCallAsync()
        {
            var result = await client.CallToolAsync("steady", new Dictionary<string, object?>());
            return result.IsError == true ? $"mcp: {((TextContentBlock)result.Content[0]).Text}" : null;
        }

        var loops = new[] { LoopAsync(RestToolCallAsync), LoopAsync(RestToolCallAsync), LoopAsync(PassthroughAsync), LoopAsync(McpToolCallAsync) };
        for (var version = 1; version <= 6; version++)
        {
            await GatewayProbe.WriteAtomicallyAsync(gateway.RoutesPath, Routes(version));
            var expected = $"extra_{version}";
            await GatewayProbe.EventuallyAsync(async () => (await ConfigReloadTests.ToolNamesAsync(http)).Contains(expected), $"{expected} is listed");
            await Task.Delay(100);
        }

        await stop.CancelAsync();
        await Task.WhenAll(loops);

        Assert.That(failures, Is.Empty);
        Assert.That(completed, Is.GreaterThan(40), "the load kept flowing during the reloads");
        Assert.That(a.Requests, Is.GreaterThan(0));
        Assert.That(b.Requests, Is.GreaterThan(0), "the destination change took effect");
    }
}
