using System.Net;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Mcp;

/// <summary>
/// <c>Gateway:Mcp:Resumability</c> on stateful sessions (SEP-1699): a POST answered as an event stream starts with a
/// priming event (an id, no data) and its events carry ids, and a client that reconnects with <c>GET</c> and
/// <c>Last-Event-ID</c> receives what followed. Off (the default), the stream has no ids to resume from.
/// </summary>
public sealed class ResumabilityTests
{
    private const string Initialize = """{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}""";
    private const string EchoCall = """{"name":"echo_tool","arguments":{"text":"resumed"}}""";

    private TestBackend _backend = null!;
    private TestGateway _resumable = null!;
    private TestGateway _plain = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _backend = await TestBackend.StartEchoAsync();
        var routes = new RoutesJson().Cluster("echo", _backend.Address).Tool("echo_tool", "echo", "POST /echo").ToString();
        _resumable = await TestGateway.StartAsync(routes,
            new Dictionary<string, string?> { ["Gateway:Mcp:Stateful"] = "true", ["Gateway:Mcp:Resumability:Enabled"] = "true" });
        _plain = await TestGateway.StartAsync(routes, new Dictionary<string, string?> { ["Gateway:Mcp:Stateful"] = "true" });
        _http = new HttpClient();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _resumable.DisposeAsync();
        await _plain.DisposeAsync();
        await _backend.DisposeAsync();
    }

    [Test]
    public async Task Post_StartsWithAPrimingEvent_AndAGetWithLastEventId_ReplaysTheAnswer()
    {
        var headers = await OpenSessionAsync(_resumable);

        using var call = await _http.SendAsync(McpHttp.Post(_resumable.McpEndpoint, McpHttp.Request(2, "tools/call", EchoCall), accept: "application/json, text/event-stream", headers: headers));
        var events = await ReadEventsAsync(call);

        Assert.That(events, Has.Count.GreaterThanOrEqualTo(2), string.Join(" | ", events));
        Assert.Multiple(() =>
        {
            Assert.That(events[0].Id, Is.Not.Null.And.Not.Empty, "the priming event has an id");
            Assert.That(events[0].Data, Is.Empty, "and no data");
            Assert.That(events[^1].Id, Is.Not.Null.And.Not.Empty);
            Assert.That(events[^1].Data, Does.Contain("resumed"));
        });

        using var resume = new HttpRequestMessage(HttpMethod.Get, _resumable.McpEndpoint);
        resume.Headers.TryAddWithoutValidation("Accept", "text/event-stream");
        foreach (var (name, value) in headers)
        {
            resume.Headers.TryAddWithoutValidation(name, value);
        }

        resume.Headers.TryAddWithoutValidation("Last-Event-ID", events[0].Id);
        using var replay = await _http.SendAsync(resume, HttpCompletionOption.ResponseHeadersRead);
        Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var replayed = await ReadEventsAsync(replay);

        Assert.That(replayed.Select(e => e.Data), Has.Some.Contains("resumed"), "the answer after the priming event is sent again");
    }

    [Test]
    public async Task Off_ThePostStreamHasNoEventIds()
    {
        var headers = await OpenSessionAsync(_plain);

        using var call = await _http.SendAsync(McpHttp.Post(_plain.McpEndpoint, McpHttp.Request(2, "tools/call", EchoCall), accept: "application/json, text/event-stream", headers: headers));
        var events = await ReadEventsAsync(call);

        Assert.That(events.Select(e => e.Data), Has.Some.Contains("resumed"));
        Assert.That(events.Select(e => e.Id), Is.All.Null);
    }

    private async Task<Dictionary<string, string>> OpenSessionAsync(TestGateway gateway)
    {
        using var init = await _http.SendAsync(McpHttp.Post(gateway.McpEndpoint, McpHttp.Request(1, "initialize", Initialize)));
        var headers = new Dictionary<string, string>
        {
            ["Mcp-Session-Id"] = init.Headers.GetValues("Mcp-Session-Id").Single(),
            ["MCP-Protocol-Version"] = "2025-11-25",
        };
        using var initialized = await _http.SendAsync(McpHttp.Post(gateway.McpEndpoint, """{"jsonrpc":"2.0","method":"notifications/initialized"}""", headers: headers));
        return headers;
    }

    /// <summary>Every event (id and data) until the stream ends, or until the one that answers a request.</summary>
    private static async Task<List<(string? Id, string Data)>> ReadEventsAsync(HttpResponseMessage response)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var events = new List<(string? Id, string Data)>();
        string? id = null;
        string? data = null;
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Length == 0)
            {
                if (id is not null || data is not null)
                {
                    events.Add((id, data ?? string.Empty));
                    if (data?.Contains("\"result\"", StringComparison.Ordinal) == true)
                    {
                        break;
                    }
                }

                (id, data) = (null, null);
            }
            else if (line.StartsWith("id:", StringComparison.Ordinal))
            {
                id = line[3..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data = (data ?? string.Empty) + line[5..].Trim();
            }
        }

        return events;
    }
}
