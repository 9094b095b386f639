using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Resilience;

/// <summary>
/// A real Kestrel backend whose behaviour a test switches while calls are in flight: answer normally, wait, hold calls
/// until released, answer with a status, or drop the connection before answering. Counts what reached it.
/// </summary>
internal sealed class FaultyBackend : IAsyncDisposable
{
    private readonly TestBackend _backend;
    private long _requests;
    private long _inFlight;
    private int _dropsLeft;
    private int _forcedStatus;
    private long _delayTicks;
    private TaskCompletionSource? _hold;

    private FaultyBackend(TestBackend backend) => _backend = backend;

    public Uri Address => _backend.Address;

    public string Name { get; private set; } = "";

    /// <summary>Requests that reached the backend (health probes excluded).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    public long InFlight => Interlocked.Read(ref _inFlight);

    public TimeSpan Delay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _delayTicks));
        set => Interlocked.Exchange(ref _delayTicks, value.Ticks);
    }

    public int? ForcedStatus
    {
        get => Volatile.Read(ref _forcedStatus) is var s and not 0 ? s : null;
        set => Volatile.Write(ref _forcedStatus, value ?? 0);
    }

    public static async Task<FaultyBackend> StartAsync(string name = "backend")
    {
        FaultyBackend? self = null;
        var backend = await TestBackend.StartAsync(app =>
        {
            app.MapGet("/health", () => Results.Ok(new { status = "healthy" }));
            app.Map("/{**path}", context => self!.HandleAsync(context));
        });
        self = new FaultyBackend(backend) { Name = name };
        return self;
    }

    /// <summary>The next <paramref name="count"/> requests are received, then their connection is reset without an answer.</summary>
    public void DropNext(int count) => Volatile.Write(ref _dropsLeft, count);

    /// <summary>Requests wait inside the backend until <see cref="Release"/>.</summary>
    public void Hold() => Volatile.Write(ref _hold, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public void Release() => Interlocked.Exchange(ref _hold, null)?.TrySetResult();

    public async Task WaitForInFlightAsync(int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (InFlight < count)
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    public ValueTask DisposeAsync()
    {
        Release();
        return _backend.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Increment(ref _inFlight);
        try
        {
            if (Interlocked.Decrement(ref _dropsLeft) >= 0)
            {
                context.Abort();
                return;
            }

            if (Volatile.Read(ref _hold) is { } hold)
            {
                await hold.Task.WaitAsync(context.RequestAborted);
            }

            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, context.RequestAborted);
            }

            if (ForcedStatus is { } status)
            {
                context.Response.StatusCode = status;
                await context.Response.WriteAsJsonAsync(new { error = "forced", status });
                return;
            }

            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            await context.Response.WriteAsJsonAsync(new JsonObject
            {
                ["backend"] = Name,
                ["method"] = context.Request.Method,
                ["path"] = context.Request.Path.Value,
                ["body"] = body,
                ["x-forwarded-for"] = context.Request.Headers["X-Forwarded-For"].ToString(),
                ["x-forwarded-proto"] = context.Request.Headers["X-Forwarded-Proto"].ToString(),
                ["x-forwarded-host"] = context.Request.Headers["X-Forwarded-Host"].ToString(),
                ["x-forwarded-prefix"] = context.Request.Headers["X-Forwarded-Prefix"].ToString(),
            });
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
