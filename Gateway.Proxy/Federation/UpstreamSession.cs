using System.Collections.Frozen;
using System.Net;
using System.Text.Json;
using Gateway.Proxy.Security.Forwarding;
using Gateway.Transforms.Federation;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.LoadBalancing;

namespace Gateway.Proxy.Federation;

/// <summary>
/// The gateway's MCP session with one upstream server: initialized on first use, kept, and started afresh once it is
/// lost (the upstream restarted and answers 404 for the old session id, the connection failed, the destination went
/// away). A call that finds its session expired before the upstream ran anything is sent once more on a new session,
/// so an upstream restart costs only the calls that were in flight.
/// </summary>
public sealed partial class UpstreamSession : IAsyncDisposable
{
    // Sessions (initialize, Mcp-Session-Id, the GET stream) are what carry the upstream's list_changed notifications;
    // 2026-07-28 would make the client probe server/discover and go sessionless.
    private const string ProtocolVersion = "2025-11-25";

    private static readonly Uri s_placeholderOrigin = new("http://upstream.invalid");

    private readonly UpstreamDefinition _upstream;
    private readonly IProxyStateLookup _proxyState;
    private readonly FrozenDictionary<string, ILoadBalancingPolicy> _policies;
    private readonly VerifiedIdentityHeaders _identity;
    private readonly UpstreamPassiveHealth _health;
    private readonly FederationOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private McpClient? _client;
    private bool _disposed;

    public UpstreamSession(
        UpstreamDefinition upstream,
        IProxyStateLookup proxyState,
        FrozenDictionary<string, ILoadBalancingPolicy> policies,
        VerifiedIdentityHeaders identity,
        UpstreamPassiveHealth health,
        FederationOptions options,
        ILoggerFactory loggerFactory)
    {
        _health = health;
        _upstream = upstream;
        _proxyState = proxyState;
        _policies = policies;
        _identity = identity;
        _options = options;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<UpstreamSession>();
    }

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

    public Task<CallToolResult> CallToolAsync(UpstreamCall call, string toolName, JsonElement arguments, CancellationToken cancellationToken)
    {
        var parameters = new CallToolRequestParams
        {
            Name = toolName,
            Arguments = arguments.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal),
        };
        return RunAsync(async client =>
        {
            using var scope = UpstreamCaller.For(call);
            try
            {
                return await client.CallToolAsync(parameters, cancellationToken);
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

    private async Task<McpClient> ConnectAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _client) is { Completion.IsCompleted: false } current)
        {
            return current;
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

            var handler = new ClusterDestinationHandler(_upstream.Server, _upstream.ClusterId, _proxyState, _policies, _identity,
                UpstreamCredentials.Header(_upstream.Credential, _upstream.Server), _health);
            var transport = new HttpClientTransport(
                new HttpClientTransportOptions
                {
                    Endpoint = new Uri(s_placeholderOrigin, _upstream.Path),
                    TransportMode = HttpTransportMode.StreamableHttp,
                    Name = _upstream.Server,
                    ConnectionTimeout = _options.ConnectTimeout,
                },
                new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan },
                _loggerFactory,
                ownsHttpClient: true);

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.ConnectTimeout);
            var client = await McpClient.CreateAsync(transport, new McpClientOptions
            {
                ClientInfo = new Implementation { Name = "mcp-gateway", Version = Observability.Metrics.GatewayBuildInfo.Current.Version },
                ProtocolVersion = ProtocolVersion,
                InitializationTimeout = _options.ConnectTimeout,
                Handlers = new McpClientHandlers
                {
                    NotificationHandlers =
                    [
                        new(NotificationMethods.ToolListChangedNotification, (_, _) =>
                        {
                            ToolsChanged?.Invoke();
                            return ValueTask.CompletedTask;
                        }),
                    ],
                },
            }, _loggerFactory, timeout.Token);
            Log.Connected(_logger, _upstream.Server, client.ServerInfo?.Name ?? "unknown", client.NegotiatedProtocolVersion ?? "unknown");
            _client = client;
            return client;
        }
        finally
        {
            _connectLock.Release();
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
        [LoggerMessage(EventId = 3400, Level = LogLevel.Information, Message = "Upstream '{Server}': session initialized with '{ServerName}' (protocol {ProtocolVersion})")]
        public static partial void Connected(ILogger logger, string server, string serverName, string protocolVersion);

        [LoggerMessage(EventId = 3401, Level = LogLevel.Information, Message = "Upstream '{Server}': the session expired (the server restarted or dropped it); starting a new one")]
        public static partial void SessionExpired(ILogger logger, string server);

        [LoggerMessage(EventId = 3402, Level = LogLevel.Debug, Message = "Upstream '{Server}': closing a lost session failed: {Error}")]
        public static partial void DisposeFailed(ILogger logger, string server, string error);
    }
}
