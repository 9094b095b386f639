using System.Net;
using Gateway.Proxy.Mcp;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Observability.Metrics;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Mcp;

/// <summary>Per-principal and overall caps on MCP sessions and event streams, their errors, gauges and release.</summary>
public sealed class McpCapacityTests
{
    private const string Initialize = """{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}""";

    [Test]
    public void TryOpenSession_PrincipalAtItsCap_IsRefusedWhileOthersStillGetSlots()
    {
        var capacity = Capacity(new McpOptions { MaxSessions = 10, MaxSessionsPerPrincipal = 2 });
        using var first = capacity.TryOpenSession("sub:alice", McpTransports.StreamableHttp, out _);
        using var second = capacity.TryOpenSession("sub:alice", McpTransports.Sse, out _);

        var third = capacity.TryOpenSession("sub:alice", McpTransports.StreamableHttp, out var refusal);
        using var bob = capacity.TryOpenSession("sub:bob", McpTransports.StreamableHttp, out _);

        Assert.Multiple(() =>
        {
            Assert.That(third, Is.Null);
            Assert.That(refusal!.StatusCode, Is.EqualTo(429));
            Assert.That(refusal.Setting, Is.EqualTo("Gateway:Mcp:MaxSessionsPerPrincipal"));
            Assert.That(refusal.Message, Does.Contain("DELETE /mcp"));
            Assert.That(bob, Is.Not.Null);
        });
    }

    [Test]
    public void TryOpenStream_OverallCap_IsRefusedWith503_AndAReleasedSlotIsReusable()
    {
        var capacity = Capacity(new McpOptions { MaxStreams = 2, MaxStreamsPerPrincipal = 2 });
        var first = capacity.TryOpenStream("ip:10.0.0.1", McpTransports.Sse, out _);
        using var second = capacity.TryOpenStream("ip:10.0.0.2", McpTransports.Sse, out _);

        var refused = capacity.TryOpenStream("ip:10.0.0.3", McpTransports.Sse, out var refusal);
        first!.Dispose();
        first.Dispose();
        using var reopened = capacity.TryOpenStream("ip:10.0.0.3", McpTransports.Sse, out _);

        Assert.Multiple(() =>
        {
            Assert.That(refused, Is.Null);
            Assert.That(refusal!.StatusCode, Is.EqualTo(503));
            Assert.That(refusal.Setting, Is.EqualTo("Gateway:Mcp:MaxStreams"));
            Assert.That(reopened, Is.Not.Null);
            Assert.That(capacity.Streams, Is.EqualTo(2), "a lease disposed twice frees its slot once");
        });
    }

    [Test]
    public void TryOpenListen_OverallCap_IsRefusedWith503NamingMaxListenStreams_AndLeavesStreamSlotsAlone()
    {
        var capacity = Capacity(new McpOptions { MaxListenStreams = 2, MaxListenStreamsPerPrincipal = 1, MaxStreams = 1, MaxStreamsPerPrincipal = 1 });
        using var alice = capacity.TryOpenListen("sub:alice", out _);
        using var bob = capacity.TryOpenListen("sub:bob", out _);

        var carol = capacity.TryOpenListen("sub:carol", out var overall);
        var aliceAgain = capacity.TryOpenListen("sub:alice", out var perPrincipal);
        using var stream = capacity.TryOpenStream("sub:alice", McpTransports.StreamableHttp, out _);

        Assert.Multiple(() =>
        {
            Assert.That(carol, Is.Null);
            Assert.That(overall!.StatusCode, Is.EqualTo(503));
            Assert.That(overall.Setting, Is.EqualTo("Gateway:Mcp:MaxListenStreams"));
            Assert.That(aliceAgain, Is.Null);
            Assert.That(perPrincipal!.Setting, Is.EqualTo("Gateway:Mcp:MaxListenStreamsPerPrincipal"));
            Assert.That(stream, Is.Not.Null, "listen requests are counted apart from GET streams");
            Assert.That(capacity.ListenStreams, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task StatefulInitialize_BeyondMaxSessionsPerPrincipal_Is429UntilASessionIsDeleted()
    {
        await using var gateway = await TestGateway.StartAsync(new RoutesJson().ToString(), new Dictionary<string, string?>
        {
            ["Gateway:Mcp:Stateful"] = "true",
            ["Gateway:Mcp:MaxSessionsPerPrincipal"] = "2",
        });
        using var http = new HttpClient();
        var sessions = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            using var init = await http.SendAsync(McpHttp.Post(gateway.McpEndpoint, McpHttp.Request(1, "initialize", Initialize)));
            sessions.Add(init.Headers.GetValues("Mcp-Session-Id").Single());
        }

        using var refused = await http.SendAsync(McpHttp.Post(gateway.McpEndpoint, McpHttp.Request(1, "initialize", Initialize)));
        var error = await McpHttp.ReadMessageAsync(refused);
        using var delete = new HttpRequestMessage(HttpMethod.Delete, gateway.McpEndpoint);
        delete.Headers.Add("Mcp-Session-Id", sessions[0]);
        using var deleted = await http.SendAsync(delete);
        using var again = await http.SendAsync(McpHttp.Post(gateway.McpEndpoint, McpHttp.Request(1, "initialize", Initialize)));

        Assert.Multiple(() =>
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That((string?)error["error"]!["message"], Does.Contain("Gateway:Mcp:MaxSessionsPerPrincipal"));
            Assert.That((string?)error["error"]!["data"]!["cap"], Is.EqualTo("Gateway:Mcp:MaxSessionsPerPrincipal"));
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task LegacySseStreams_AreCappedCountedAndReleasedWhenTheClientDisconnects()
    {
        await using var gateway = await TestGateway.StartAsync(new RoutesJson().ToString(), new Dictionary<string, string?>
        {
            ["Gateway:Mcp:MaxStreamsPerPrincipal"] = "1",
        });
        using var http = new HttpClient { BaseAddress = gateway.Address };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var first = await http.GetAsync("sse", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using (var reader = new StreamReader(await first.Content.ReadAsStreamAsync(timeout.Token), leaveOpen: true))
        {
            await SseEvents.NextDataAsync(reader, timeout.Token);
        }

        using var second = await http.GetAsync("sse", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        var whileOpen = PrometheusExposition.Parse(await http.GetStringAsync("metrics", timeout.Token));
        first.Dispose();
        var released = await WaitUntilAsync(async () =>
            PrometheusExposition.Parse(await http.GetStringAsync("metrics", timeout.Token)).Value("mcp_active_sessions", ("transport", "sse")) == 0);
        using var third = await http.GetAsync("sse", HttpCompletionOption.ResponseHeadersRead, timeout.Token);

        Assert.Multiple(() =>
        {
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(whileOpen.Value("mcp_active_sessions", ("transport", "sse")), Is.EqualTo(1));
            Assert.That(whileOpen.Value("mcp_active_streams", ("transport", "sse")), Is.EqualTo(1));
            Assert.That(released, Is.True, "the disconnected stream's session must be released");
            Assert.That(third.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task StatefulGetStreams_AreCappedPerPrincipal_AndCounted()
    {
        await using var gateway = await TestGateway.StartAsync(new RoutesJson().ToString(), new Dictionary<string, string?>
        {
            ["Gateway:Mcp:Stateful"] = "true",
            ["Gateway:Mcp:MaxStreamsPerPrincipal"] = "1",
        });
        using var http = new HttpClient { BaseAddress = gateway.Address };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var sessions = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            using var init = await http.SendAsync(McpHttp.Post(gateway.McpEndpoint, McpHttp.Request(1, "initialize", Initialize)), timeout.Token);
            sessions.Add(init.Headers.GetValues("Mcp-Session-Id").Single());
        }

        using var first = await http.SendAsync(Stream(sessions[0]), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var second = await http.SendAsync(Stream(sessions[1]), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        var error = await McpHttp.ReadMessageAsync(second);
        var whileOpen = PrometheusExposition.Parse(await http.GetStringAsync("metrics", timeout.Token));

        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That((string?)error["error"]!["data"]!["cap"], Is.EqualTo("Gateway:Mcp:MaxStreamsPerPrincipal"));
            Assert.That(whileOpen.Value("mcp_active_streams", ("transport", "streamable_http")), Is.EqualTo(1));
            Assert.That(whileOpen.Value("mcp_active_sessions", ("transport", "streamable_http")), Is.EqualTo(2));
        });

        HttpRequestMessage Stream(string sessionId)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, gateway.McpEndpoint);
            request.Headers.Add("Accept", "text/event-stream");
            request.Headers.Add("Mcp-Session-Id", sessionId);
            return request;
        }
    }

    [Test]
    public async Task StatefulSession_ExpiredByTheSdkForIdleness_FreesItsSlot()
    {
        await using var gateway = await TestGateway.StartAsync(new RoutesJson().ToString(), new Dictionary<string, string?>
        {
            ["Gateway:Mcp:Stateful"] = "true",
            ["Gateway:Mcp:MaxSessionsPerPrincipal"] = "1",
            ["Gateway:Mcp:SessionIdleTimeout"] = "00:00:01",
        });
        using var http = new HttpClient();
        using var first = await http.SendAsync(McpHttp.Post(gateway.McpEndpoint, McpHttp.Request(1, "initialize", Initialize)));
        using var refused = await http.SendAsync(McpHttp.Post(gateway.McpEndpoint, McpHttp.Request(1, "initialize", Initialize)));

        // The SDK looks for idle sessions every 5 s.
        var freed = await WaitUntilAsync(async () =>
        {
            using var again = await http.SendAsync(McpHttp.Post(gateway.McpEndpoint, McpHttp.Request(1, "initialize", Initialize)));
            return again.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(15));

        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(freed, Is.True, "the expired session's slot must be released");
        });
    }

    private static McpCapacity Capacity(McpOptions options) => new(Options.Create(options));

    private static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }
}
