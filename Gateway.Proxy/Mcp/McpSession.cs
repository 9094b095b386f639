using ModelContextProtocol.Server;

namespace Gateway.Proxy.Mcp;

/// <summary>A stateful Streamable HTTP session: one transport and one SDK server, owned by one user, holding one session slot.</summary>
public sealed class McpSession : IAsyncDisposable
{
    private readonly CancellationTokenSource _closed = new();
    private int _getStreamActive;
    private int _activeRequests;
    private long _lastActivityTicks = Environment.TickCount64;

    private readonly IDisposable? _slot;

    public McpSession(string id, StreamableHttpServerTransport transport, string? userId, IDisposable? slot = null)
    {
        Id = id;
        Transport = transport;
        UserId = userId;
        _slot = slot;
    }

    public string Id { get; }

    public StreamableHttpServerTransport Transport { get; }

    /// <summary>The owner: the caller's <c>CallerIdentity.PrincipalKey</c> (null for anonymous callers).</summary>
    public string? UserId { get; }

    public McpServer? Server { get; private set; }

    public Task? RunTask { get; private set; }

    public CancellationToken Closed => _closed.Token;

    public bool IsIdleFor(TimeSpan timeout) =>
        Volatile.Read(ref _activeRequests) == 0 && Environment.TickCount64 - Volatile.Read(ref _lastActivityTicks) > timeout.TotalMilliseconds;

    public void Start(McpServer server)
    {
        Server = server;
        RunTask = server.RunAsync(_closed.Token);
    }

    public IDisposable BeginRequest()
    {
        Interlocked.Increment(ref _activeRequests);
        Volatile.Write(ref _lastActivityTicks, Environment.TickCount64);
        return new RequestScope(this);
    }

    public bool TryStartGetStream() => Interlocked.CompareExchange(ref _getStreamActive, 1, 0) == 0;

    public async ValueTask DisposeAsync()
    {
        // Order matters: stop the transport first so the server's run loop ends cleanly, then cancel and await it.
        await Transport.DisposeAsync();
        await _closed.CancelAsync();
        if (RunTask is not null)
        {
            await RunTask.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        _closed.Dispose();
        _slot?.Dispose();
    }

    private sealed class RequestScope(McpSession session) : IDisposable
    {
        public void Dispose()
        {
            Volatile.Write(ref session._lastActivityTicks, Environment.TickCount64);
            Interlocked.Decrement(ref session._activeRequests);
        }
    }
}
