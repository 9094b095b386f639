using System.Net;
using System.Text.Json;
using Gateway.Proxy.Federation.Relay;
using Gateway.Transforms.Federation;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Proxy.Federation;

/// <summary>
/// The gateway's MCP session with one upstream server: initialized on first use, kept, and started afresh once it is
/// lost (the upstream restarted and answers 404 for the old session id, the connection failed, the destination went
/// away). A call that finds its session expired before the upstream ran anything is sent once more on a new session,
/// so an upstream restart costs only the calls that were in flight.
/// </summary>
public sealed partial class UpstreamSession : IAsyncDisposable
{
    // Sessions (initialize, Mcp-Session-Id, the GET stream) are what carry the upstream's list_changed notifications,
    // so they are asked for first; an upstream that refuses the initialize handshake is spoken to in the sessionless
    // revision, where the periodic refresh keeps its catalog current.
    private const string SessionProtocolVersion = "2025-11-25";
    private const string SessionlessProtocolVersion = "2026-07-28";

    private static readonly TimeSpan s_stableRun = TimeSpan.FromMinutes(1);

    private readonly UpstreamDefinition _upstream;
    private readonly UpstreamTransports _transports;
    private readonly FederationOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private string _protocolVersion = SessionProtocolVersion;
    private readonly ProcessRestartBackoff? _restarts;
    private readonly CancellationTokenSource _stopping = new();
    private readonly UpstreamClientRole _role;
    private readonly Relay.ProgressTap _progress = new();
    private McpClient? _client;
    private bool _disposed;

    /// <param name="role">What the gateway declares and answers as the upstream's client; the shared role when null.</param>
    public UpstreamSession(UpstreamDefinition upstream, UpstreamTransports transports, FederationOptions options, ILoggerFactory loggerFactory, UpstreamClientRole? role = null)
    {
        _upstream = upstream;
        _transports = transports;
        _options = options;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<UpstreamSession>();
        _role = role ?? UpstreamClientRole.Shared(upstream.Server, _logger);
        if (upstream.Declaration.Process is not null)
        {
            _restarts = new ProcessRestartBackoff(TimeProvider.System);
            StandInCluster = new ClusterConfig { ClusterId = upstream.ClusterId };
        }
    }

    /// <summary>
    /// For a Stdio upstream (no YARP cluster): the cluster its per-cluster state (breaker, concurrency limit) is kept
    /// under, with the defaults of <c>Gateway:Resilience</c>.
    /// </summary>
    public ClusterConfig? StandInCluster { get; }

    /// <summary>A Stdio upstream: the gateway runs its process; there is no cluster, no HTTP and no status page of its own.</summary>
    public bool RunsProcess => _restarts is not null;

    /// <summary>
    /// Whether the upstream's answers are read through the HTTP handler, where the result-size cap applies while reading
    /// (not for the legacy SSE transport: its answers come on the session's GET stream, not on the call's POST).
    /// </summary>
    public bool CapsWhileReading => !RunsProcess && _upstream.Declaration.Transport != UpstreamTransport.Sse;

    public UpstreamDefinition Upstream => _upstream;

    /// <summary>Raised when the upstream sends <c>notifications/tools/list_changed</c>.</summary>
    public event Action? ToolsChanged;

    /// <summary>Every tool the upstream lists (all pages).</summary>
    public Task<IReadOnlyList<Tool>> ListToolsAsync(CancellationToken cancellationToken) =>
        RunAsync(async client =>
        {
            var tools = new List<Tool>();
            string? cursor = null;
            do
            {
                var page = await client.ListToolsAsync(new ListToolsRequestParams { Cursor = cursor }, cancellationToken);
                tools.AddRange(page.Tools);
                cursor = page.NextCursor;
            }
            while (!string.IsNullOrEmpty(cursor));

            return (IReadOnlyList<Tool>)tools;
        }, cancellationToken);

    /// <summary>
    /// Calls the tool; the upstream's progress for it goes to the calling client (when it asked for progress), and so do
    /// the log messages on the call's own response stream (Streamable HTTP, at the level the client wants); on a session
    /// bound to the caller's downstream session, its requests and all its log messages go to that client. Cancelling
    /// <paramref name="cancellationToken"/> sends the upstream <c>notifications/cancelled</c> for the request (the SDK does).
    /// </summary>
    public async Task<CallToolResult> CallToolAsync(UpstreamCall call, string toolName, JsonElement arguments, CancellationToken cancellationToken)
    {
        // The arguments are sent as the call's own element (UpstreamResultReader); the parameters carry the name and _meta.
        var parameters = new CallToolRequestParams { Name = toolName };

        // Entered before connecting: an upstream may ask for roots as soon as the session is initialized.
        using var inFlight = _role.Owner is { } owner && call.Downstream is { } downstream ? owner.Enter(downstream.Server) : default;
        return await RunAsync(async client =>
        {
            using var scope = UpstreamCaller.For(call);
            // A client-bound session relays all its log messages itself; over stdio and legacy SSE nothing ties a
            // message to the call it was sent for.
            await using var relay = CallRelay.Start(_progress, call, parameters, relaysLogs: _role.Owner is null && CapsWhileReading, _upstream.Server, _logger);
            try
            {
                return await UpstreamResultReader.CallToolAsync(client, parameters, arguments, cancellationToken);
            }
            catch (Exception ex) when (call.Cap.Exceeded && ex is not UpstreamResultTooLargeException)
            {
                // HttpClient wraps the cap's exception while buffering; unwrapped, it does not count as a lost session.
                throw new UpstreamResultTooLargeException();
            }
        }, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _connectLock.WaitAsync();
        try
        {
            _disposed = true;
            if (_client is { } client)
            {
                _client = null;
                await client.DisposeAsync();
            }
        }
        finally
        {
            _connectLock.Release();
        }
    }

    private async Task<T> RunAsync<T>(Func<McpClient, Task<T>> operation, CancellationToken cancellationToken)
    {
        var client = await ConnectAsync(cancellationToken);
        try
        {
            return await operation(client);
        }
        catch (Exception ex) when (IsSessionExpired(ex, client))
        {
            // The upstream did not know the session, so it ran nothing: safe to send again on a new one.
            Log.SessionExpired(_logger, _upstream.Server);
            await DropAsync(client);
            return await operation(await ConnectAsync(cancellationToken));
        }
        catch (Exception ex) when (IsTransportFailure(ex) && !cancellationToken.IsCancellationRequested)
        {
            await DropAsync(client);
            throw;
        }
    }

    private async Task<McpClient> ConnectAsync(CancellationToken cancellationToken, bool restart = false)
    {
        if (Volatile.Read(ref _client) is { Completion.IsCompleted: false } current)
        {
            return current;
        }

        if (!restart && _restarts?.Remaining is { } wait && wait > TimeSpan.Zero)
        {
            throw new UpstreamUnavailableException(
                $"the process of upstream '{_upstream.Server}' exited; the gateway restarts it in {Math.Ceiling(wait.TotalSeconds)} s");
        }

        await _connectLock.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_client is { Completion.IsCompleted: false } raced)
            {
                return raced;
            }

            if (_client is { } ended)
            {
                _client = null;
                await ended.DisposeAsync();
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.ConnectTimeout);
            McpClient client;
            try
            {
                client = await StartAsync(_protocolVersion, timeout.Token);
            }
            catch (McpProtocolException refused) when (_protocolVersion == SessionProtocolVersion && _upstream.Declaration.Transport == UpstreamTransport.StreamableHttp)
            {
                // The upstream answered the initialize handshake with a JSON-RPC error: a server of the 2026-07-28
                // revision on, which has no handshake. Asked once; a failure then is reported as the upstream's.
                Log.InitializeRefused(_logger, _upstream.Server, refused.Message);
                client = await StartAsync(SessionlessProtocolVersion, timeout.Token);
                _protocolVersion = SessionlessProtocolVersion;
            }

            Log.Connected(_logger, _upstream.Server, client.ServerInfo?.Name ?? "unknown", client.NegotiatedProtocolVersion ?? "unknown");
            _client = client;
            if (!_subscriptions.IsEmpty)
            {
                _ = ResubscribeAsync(client);
            }

            if (_restarts is not null)
            {
                _ = SuperviseAsync(client);
            }

            return client;
        }
        finally
        {
            _connectLock.Release();
        }
    }

    private McpClientHandlers ClientHandlers()
    {
        var handlers = new McpClientHandlers
        {
            NotificationHandlers =
            [
                new(NotificationMethods.ToolListChangedNotification, (_, _) =>
                {
                    ToolsChanged?.Invoke();
                    return ValueTask.CompletedTask;
                }),
                .. PrimitiveNotificationHandlers(),
            ],
        };
        _role.Configure(handlers);
        return handlers;
    }

    private Task<McpClient> StartAsync(string protocolVersion, CancellationToken cancellationToken) =>
        StartAsync(_progress.Wrap(_transports.Create(_upstream, _options.ConnectTimeout)), new McpClientOptions
        {
            ClientInfo = new Implementation { Name = "mcp-gateway", Version = Observability.Metrics.GatewayBuildInfo.Current.Version },
            ProtocolVersion = protocolVersion,
            InitializationTimeout = _options.ConnectTimeout,
            Capabilities = _role.Capabilities(),
            Handlers = ClientHandlers(),
        }, cancellationToken);

    private async Task<McpClient> StartAsync(IClientTransport transport, McpClientOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await McpClient.CreateAsync(transport, options, _loggerFactory, cancellationToken);
        }
        catch (Exception ex) when (_restarts is not null && ex is not (OperationCanceledException or McpException or IOException or OutOfMemoryException))
        {
            // A process that cannot be started (command gone, not executable) waits like one that exited, and its
            // calls fail as BackendUnavailable, never as an unexpected gateway error.
            _restarts.RecordExit(TimeSpan.Zero);
            throw new UpstreamUnavailableException($"the process of upstream '{_upstream.Server}' could not be started ({ex.Message})");
        }
    }

    /// <summary>
    /// Watches a Stdio upstream's process: once it exits (crashed, killed, or its session was dropped after a failure),
    /// starts it again after <see cref="ProcessRestartBackoff"/>'s wait, and has the tool list read afresh.
    /// </summary>
    private async Task SuperviseAsync(McpClient client)
    {
        var started = DateTimeOffset.UtcNow;
        await ((Task)client.Completion).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var details = client.Completion.IsCompletedSuccessfully ? client.Completion.Result : null;
        while (!_stopping.IsCancellationRequested)
        {
            var delay = _restarts!.RecordExit(DateTimeOffset.UtcNow - started);
            if (details is not null)
            {
                Log.ProcessExited(_logger, _upstream.Server, (details as StdioClientCompletionDetails)?.ExitCode, delay.TotalSeconds);
                details = null;
            }

            try
            {
                await Task.Delay(delay, _stopping.Token);
                started = DateTimeOffset.UtcNow;
                if (Volatile.Read(ref _client) is not { Completion.IsCompleted: false })
                {
                    await ConnectAsync(_stopping.Token, restart: true);
                    ToolsChanged?.Invoke();
                }

                return;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException and not ObjectDisposedException)
            {
                Log.RestartFailed(_logger, _upstream.Server, ex.Message);
            }
        }
    }

    private async Task DropAsync(McpClient client)
    {
        await _connectLock.WaitAsync();
        try
        {
            if (ReferenceEquals(_client, client))
            {
                _client = null;
            }
        }
        finally
        {
            _connectLock.Release();
        }

        try
        {
            await client.DisposeAsync();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.DisposeFailed(_logger, _upstream.Server, ex.Message);
        }
    }

    private static bool IsSessionExpired(Exception exception, McpClient client) =>
        exception is HttpRequestException { StatusCode: HttpStatusCode.NotFound }
        || (client.Completion.IsCompleted && client.Completion.Result is HttpClientCompletionDetails { HttpStatusCode: HttpStatusCode.NotFound });

    // An answer over the call's result cap was refused by the gateway; the session itself is fine.
    private static bool IsTransportFailure(Exception exception) =>
        exception is not UpstreamResultTooLargeException
        && (exception is HttpRequestException or IOException or ClientTransportClosedException
            || (exception is McpException and not McpProtocolException));

    private static partial class Log
    {
        [LoggerMessage(EventId = 3407, Level = LogLevel.Information, Message = "Upstream '{Server}' refused the initialize handshake ({Reason}); connecting with protocol 2026-07-28, without a session")]
        public static partial void InitializeRefused(ILogger logger, string server, string reason);

        [LoggerMessage(EventId = 3400, Level = LogLevel.Information, Message = "Upstream '{Server}': session initialized with '{ServerName}' (protocol {ProtocolVersion})")]
        public static partial void Connected(ILogger logger, string server, string serverName, string protocolVersion);

        [LoggerMessage(EventId = 3401, Level = LogLevel.Information, Message = "Upstream '{Server}': the session expired (the server restarted or dropped it); starting a new one")]
        public static partial void SessionExpired(ILogger logger, string server);

        [LoggerMessage(EventId = 3402, Level = LogLevel.Debug, Message = "Upstream '{Server}': closing a lost session failed: {Error}")]
        public static partial void DisposeFailed(ILogger logger, string server, string error);

        [LoggerMessage(EventId = 3405, Level = LogLevel.Warning, Message = "Upstream '{Server}': its process exited (exit code {ExitCode}); restarting it in {DelaySeconds} s")]
        public static partial void ProcessExited(ILogger logger, string server, int? exitCode, double delaySeconds);

        [LoggerMessage(EventId = 3406, Level = LogLevel.Warning, Message = "Upstream '{Server}': its process could not be started again ({Error}); trying again after a longer wait")]
        public static partial void RestartFailed(ILogger logger, string server, string error);
    }
}
