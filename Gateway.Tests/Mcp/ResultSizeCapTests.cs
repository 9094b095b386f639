using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Resilience;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Gateway.Tests.Mcp;

/// <summary>
/// The cap on a tool's backend answer (default <c>Gateway:Mcp:MaxResultBytes</c> = 1 MiB, per route
/// <c>Gateway.MaxResultBytes</c>): enforced while reading, answered as <c>ResultTooLarge</c>, never truncated.
/// </summary>
public sealed class ResultSizeCapTests
{
    private const int OneMiB = 1_048_576;

    private TestBackend _backend = null!;
    private TestGateway _gateway = null!;
    private McpClient _client = null!;
    private HttpClient _http = null!;
    private long _streamedBytes;
    private bool _streamFinished;
    private TaskCompletionSource _streamEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _backend = await TestBackend.StartAsync(app =>
        {
            // {"size": n, "chunked": bool}: n bytes of 'x', with or without Content-Length.
            app.MapPost("/bytes", async (HttpContext context) =>
            {
                var request = await context.Request.ReadFromJsonAsync<JsonObject>();
                var size = (int)request!["size"]!;
                if (request["chunked"] is null)
                {
                    context.Response.ContentLength = size;
                }

                context.Response.ContentType = "text/plain";
                await context.Response.Body.WriteAsync(new byte[size].AsMemory().Fill('x'));
            });

            // 64 MiB in 64 KiB chunks over 5+ s, counting what it managed to send before the gateway hung up.
            app.MapPost("/endless", async (HttpContext context) =>
            {
                Interlocked.Exchange(ref _streamedBytes, 0);
                _streamFinished = false;
                var chunk = new byte[65_536].AsMemory().Fill('y');
                try
                {
                    // Kestrel turns writes after the client hung up into no-ops, so the abort is checked, not awaited as an exception.
                    for (var i = 0; i < 1024 && !context.RequestAborted.IsCancellationRequested; i++)
                    {
                        await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
                        await context.Response.Body.FlushAsync(context.RequestAborted);
                        Interlocked.Add(ref _streamedBytes, chunk.Length);
                        await Task.Delay(5, context.RequestAborted);
                    }

                    _streamFinished = !context.RequestAborted.IsCancellationRequested;
                }
                catch (Exception ex) when (ex is OperationCanceledException or IOException)
                {
                }
                finally
                {
                    _streamEnded.TrySetResult();
                }
            });
        });

        const string schema = """{"type":"object","properties":{"size":{"type":"integer"},"chunked":{"type":"boolean"}}}""";
        var routes = new RoutesJson()
            .Cluster("files", _backend.Address)
            .Tool("default_cap", "files", "POST /bytes", schema)
            .Tool("small_cap", "files", "POST /bytes", schema, routeExtras: """{"Metadata":{"Gateway.MaxResultBytes":"1000"}}""")
            .Tool("endless", "files", "POST /endless")
            .ToString();
        _gateway = await TestGateway.StartAsync(routes);
        _client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = _gateway.McpEndpoint }, loggerFactory: null));
        _http = new HttpClient { BaseAddress = _gateway.Address };
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _client.DisposeAsync();
        await _gateway.DisposeAsync();
        await _backend.DisposeAsync();
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task AnswerAtTheDefaultCap_IsReturnedWhole(bool chunked)
    {
        var result = await CallAsync("default_cap", OneMiB, chunked);

        Assert.That(result.IsError, Is.Not.True, Text(result)[..Math.Min(200, Text(result).Length)]);
        Assert.That(Text(result), Has.Length.EqualTo(OneMiB));
    }

    [Test]
    public async Task AnswerOverTheDefaultCapWithContentLength_IsResultTooLargeWithSizeAndLimit()
    {
        var result = await CallAsync("default_cap", OneMiB + 1, chunked: false);

        Assert.That(result.IsError, Is.True);
        Assert.That(Text(result), Is.EqualTo(
            $"ResultTooLarge: the answer of tool 'default_cap' is {OneMiB + 1} bytes, over its limit of {OneMiB} bytes; nothing of it is returned. " +
            "Ask for less (a LIMIT, a narrower path, fewer results) and call again."));
        var figures = result.Meta!["mcp-gateway/error"]!;
        Assert.That((long?)figures["size_bytes"], Is.EqualTo(OneMiB + 1));
        Assert.That((long?)figures["limit_bytes"], Is.EqualTo(OneMiB));
    }

    [Test]
    public async Task ChunkedAnswerOverTheRouteCap_IsResultTooLarge_AndTheAuditLineSaysSo()
    {
        var result = await CallAsync("small_cap", 1001, chunked: true);

        Assert.That(result.IsError, Is.True);
        Assert.That(Text(result), Does.StartWith("ResultTooLarge: the answer of tool 'small_cap' is more than 1000 bytes"));
        Assert.That(Text(result), Does.Not.Contain("xxxx"), "no part of the answer is passed on");
        Assert.That((long?)result.Meta!["mcp-gateway/error"]!["limit_bytes"], Is.EqualTo(1000));

        var audit = Path.Combine(_gateway.Directory, "logs", "audit.jsonl");
        await GatewayProbe.EventuallyAsync(async () => (await AuditLines.ReadAllAsync(audit))
            .Select(l => JsonNode.Parse(l)!)
            .Any(e => (string?)e["tool"] == "small_cap" && (string?)e["error"] == "ResultTooLarge"), "the audit line names ResultTooLarge");
    }

    [Test]
    public async Task AnswerWithinTheRouteCap_IsReturned()
    {
        var result = await CallAsync("small_cap", 1000, chunked: true);
        Assert.That(result.IsError, Is.Not.True, Text(result));
        Assert.That(Text(result), Is.EqualTo(new string('x', 1000)));
    }

    [Test]
    public async Task HugeStreamedAnswer_StopsBeingReadAtTheCap()
    {
        var result = await _client.CallToolAsync("endless", new Dictionary<string, object?>());

        Assert.That(result.IsError, Is.True);
        Assert.That(Text(result), Does.StartWith("ResultTooLarge: the answer of tool 'endless' is more than 1048576 bytes"));
        await _streamEnded.Task.WaitAsync(TimeSpan.FromSeconds(4));
        Assert.That(_streamFinished, Is.False, "the gateway hung up on the backend");
        Assert.That(Interlocked.Read(ref _streamedBytes), Is.LessThan(16 * OneMiB), "the backend was cut off long before its 64 MiB were read");
    }

    [Test]
    public async Task RestFacade_AnswersResultTooLargeWith502()
    {
        using var response = await _http.PostAsJsonAsync("tools/call", new { tool = "small_cap", arguments = new { size = 5000 } });
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
        Assert.That((string?)body!["error"], Is.EqualTo("ResultTooLarge"));
        Assert.That((long?)body["data"]!["size_bytes"], Is.EqualTo(5000));
    }

    private Task<CallToolResult> CallAsync(string tool, int size, bool chunked) =>
        _client.CallToolAsync(tool, chunked
            ? new Dictionary<string, object?> { ["size"] = size, ["chunked"] = true }
            : new Dictionary<string, object?> { ["size"] = size }).AsTask();

    private static string Text(CallToolResult result) => ((TextContentBlock)result.Content[0]).Text;
}

internal static class MemoryFill
{
    public static Memory<byte> Fill(this Memory<byte> memory, char value)
    {
        memory.Span.Fill((byte)value);
        return memory;
    }
}
