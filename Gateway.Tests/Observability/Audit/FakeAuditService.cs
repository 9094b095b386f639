using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Observability.Audit;

/// <summary>A real Kestrel audit service on 127.0.0.1 that records accepted NDJSON batches.</summary>
internal sealed class FakeAuditService : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _acceptedRequestIds = new();
    private int _requests;

    private FakeAuditService(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public IReadOnlyCollection<string> AcceptedRequestIds => _acceptedRequestIds;

    public int Requests => Volatile.Read(ref _requests);

    public string? LastContentType { get; private set; }

    /// <param name="respond">Given the 1-based request number, the status code to answer with after an optional delay.</param>
    public static async Task<FakeAuditService> StartAsync(Func<int, (int Status, TimeSpan Delay)> respond)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var service = new FakeAuditService(app);
        app.MapPost("/audit", async (HttpContext context) =>
        {
            var number = Interlocked.Increment(ref service._requests);
            var (status, delay) = respond(number);
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay);
            }

            if (status is >= 200 and < 300)
            {
                service.LastContentType = context.Request.ContentType;
                foreach (var line in body.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    using var entry = JsonDocument.Parse(line);
                    service._acceptedRequestIds.Enqueue(entry.RootElement.GetProperty("request_id").GetString()!);
                }
            }

            context.Response.StatusCode = status;
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        service.Url = new Uri(new Uri(address), "/audit");
        return service;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
