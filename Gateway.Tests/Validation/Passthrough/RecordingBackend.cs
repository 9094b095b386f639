using System.Collections.Concurrent;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Validation.Passthrough;

/// <summary>A Kestrel backend that records each request's method, raw query and exact body bytes.</summary>
internal sealed class RecordingBackend : IAsyncDisposable
{
    private readonly TestBackend _backend;

    private RecordingBackend(TestBackend backend, ConcurrentQueue<ReceivedRequest> received)
    {
        _backend = backend;
        Received = received;
    }

    public ConcurrentQueue<ReceivedRequest> Received { get; }

    public Uri Address => _backend.Address;

    public static async Task<RecordingBackend> StartAsync()
    {
        var received = new ConcurrentQueue<ReceivedRequest>();
        var backend = await TestBackend.StartAsync(app => app.Map("/{**path}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            received.Enqueue(new ReceivedRequest(
                context.Request.Method,
                context.Request.Path.Value ?? string.Empty,
                context.Request.QueryString.Value ?? string.Empty,
                context.Request.ContentType,
                body.ToArray()));
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"ok\":true}");
        }));
        return new RecordingBackend(backend, received);
    }

    public ValueTask DisposeAsync() => _backend.DisposeAsync();
}

internal sealed record ReceivedRequest(string Method, string Path, string Query, string? ContentType, byte[] Body);
