using System.Net;
using System.Net.Http.Json;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Pipeline;

/// <summary>
/// Each call is observed once, with the error code its caller got: one audit line per request, whether the call
/// succeeded, was refused by a step, or was answered with an error by the backend.
/// </summary>
public sealed class CallObservationTests
{
    private TestBackend _backend = null!;
    private TestGateway _gateway = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _backend = await TestBackend.StartAsync(app =>
        {
            app.MapPost("/ok", () => Results.Json(new { found = 1 }));
            app.MapPost("/missing", () => Results.NotFound(new { message = "no such document" }));
        });
        var routes = new RoutesJson()
            .Cluster("docs", _backend.Address)
            .Tool("find_ok", "docs", "POST /ok")
            .Tool("find_missing", "docs", "POST /missing")
            .Tool("find_typed", "docs", "POST /ok", inputSchema: """{"type":"object","properties":{"n":{"type":"integer"}},"required":["n"]}""")
            .ToString();
        _gateway = await TestGateway.StartAsync(routes);
        _http = new HttpClient { BaseAddress = _gateway.Address };
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _gateway.DisposeAsync();
        await _backend.DisposeAsync();
    }

    [TestCase("find_ok", HttpStatusCode.OK, null)]
    [TestCase("find_missing", HttpStatusCode.UnprocessableEntity, "BackendRejected")]
    [TestCase("find_typed", HttpStatusCode.BadRequest, "InvalidArguments")]
    [TestCase("no_such_tool", HttpStatusCode.NotFound, "ToolNotFound")]
    public async Task FacadeCall_IsAuditedOnceWithTheCallersOutcome(string tool, HttpStatusCode status, string? error)
    {
        var requestId = "observe-" + Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Post, "tools/call") { Content = JsonContent.Create(new { tool, arguments = new { } }) };
        request.Headers.Add("X-Request-ID", requestId);

        using var response = await _http.SendAsync(request);
        var entry = await AuditLines.WaitForAsync(Path.Combine(_gateway.Directory, "logs", "audit.jsonl"), requestId);
        await Task.Delay(200); // a second line for the same call would be written by now
        var lines = (await AuditLines.ReadAllAsync(Path.Combine(_gateway.Directory, "logs", "audit.jsonl"))).Count(l => l.Contains(requestId, StringComparison.Ordinal));

        Assert.That(response.StatusCode, Is.EqualTo(status));
        Assert.That(lines, Is.EqualTo(1));
        Assert.That((string?)entry["error"], Is.EqualTo(error));
        Assert.That((string?)entry["status"], Is.EqualTo(error is null ? "ok" : "error"));
    }
}
