using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Mcp;

/// <summary>The 2024-11-05 HTTP+SSE transport on the wire: endpoint announcement, 202 for posted messages, replies on the stream.</summary>
public sealed class LegacySseProtocolTests
{
    [Test]
    public async Task PostedMessages_AreAcceptedWith202_AndAnsweredOnTheStream()
    {
        await using var backend = await TestBackend.StartEchoAsync();
        await using var gateway = await TestGateway.StartAsync(new RoutesJson().Cluster("echo", backend.Address).Tool("echo_tool", "echo", "POST /echo").ToString());
        using var http = new HttpClient { BaseAddress = gateway.Address };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        using var stream = await http.GetAsync("sse", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(timeout.Token));
        var (endpointEvent, endpoint) = await SseEvents.NextAsync(reader, timeout.Token);
        Assert.That(endpointEvent, Is.EqualTo("endpoint"));
        Assert.That(endpoint, Does.StartWith("/messages?sessionId="));

        using var badArguments = await http.PostAsync(endpoint, Json("""{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"echo_tool","arguments":"not-an-object"}}"""), timeout.Token);
        Assert.That(badArguments.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var error = JsonNode.Parse((await SseEvents.NextAsync(reader, timeout.Token)).Data)!;
        Assert.That((int)error["id"]!, Is.EqualTo(5));
        Assert.That((int)error["error"]!["code"]!, Is.EqualTo(-32602));

        using var call = await http.PostAsync(endpoint, Json("""{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"echo_tool","arguments":{"a":1}}}"""), timeout.Token);
        Assert.That(call.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var result = JsonNode.Parse((await SseEvents.NextAsync(reader, timeout.Token)).Data)!;
        Assert.That((int)result["id"]!, Is.EqualTo(6));
        Assert.That((string?)result["result"]!["content"]![0]!["text"], Does.Contain("/echo"));

        using var unknown = await http.PostAsync("messages?sessionId=nope", Json("""{"jsonrpc":"2.0","id":7,"method":"ping"}"""), timeout.Token);
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
