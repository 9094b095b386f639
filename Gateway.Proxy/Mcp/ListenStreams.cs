using System.Collections.Concurrent;
using Gateway.Proxy.Federation.Resources;
using Gateway.Proxy.Security.Authorization;
using Gateway.Transforms.Catalog;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Gateway.Proxy.Mcp;

/// <summary>
/// <c>subscriptions/listen</c> (2026-07-28, SEP-2575), the SDK's <c>SubscriptionsListenHandler</c>: in stateless mode
/// as in stateful mode (2026-07-28 requests never have a session), a listen request takes a slot of
/// <see cref="McpCapacity"/>, subscribes each resource URI it asks for through <see cref="ResourceSubscriptions"/>
/// (the checks, audit and reference-counted upstream subscription of <c>resources/subscribe</c>; one refused URI
/// refuses the request), acknowledges, and then carries the <c>*/list_changed</c> notifications it asked for and its
/// resources' updates until the client cancels it, goes away or the gateway shuts down.
/// </summary>
public sealed partial class ListenStreams
{
    private readonly ConcurrentDictionary<ListenStream, byte> _open = new();
    private readonly ResourceSubscriptions _subscriptions;
    private readonly McpCapacity _capacity;
    private readonly CallerIdentityResolver _callers;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<ListenStreams> _logger;

    public ListenStreams(
        ResourceSubscriptions subscriptions, McpCapacity capacity, CallerIdentityResolver callers, IHostApplicationLifetime lifetime,
        ToolCatalogHolder catalog, FederatedPrimitiveCatalog primitives, ILogger<ListenStreams> logger)
    {
        _subscriptions = subscriptions;
        _capacity = capacity;
        _callers = callers;
        _lifetime = lifetime;
        _logger = logger;
        catalog.Changed += _ => Broadcast(NotificationMethods.ToolListChangedNotification);
        primitives.Changed += OnPrimitivesChanged;
    }

    /// <summary>Listen requests open now (tests, operators).</summary>
    public int Count => _open.Count;

    /// <exception cref="McpProtocolException">Over a cap, shutting down, or a resource URI refused.</exception>
    public async ValueTask<EmptyResult> ListenAsync(HttpContext caller, RequestContext<SubscriptionsListenRequestParams> request, CancellationToken cancellationToken)
    {
        if (_lifetime.ApplicationStopping.IsCancellationRequested)
        {
            throw new McpProtocolException(
                "Service Unavailable: this gateway is shutting down. Send subscriptions/listen again; it reaches another replica, or this one once it is back.",
                (McpErrorCode)JsonRpcErrors.ServerError);
        }

        using var slot = _capacity.TryOpenListen(_callers.PartitionKey(caller), out var refusal) ?? throw refusal!.ToException();
        var requested = request.Params?.Notifications ?? new SubscriptionsListenNotifications();
        var uris = requested.ResourceSubscriptions?.Distinct(StringComparer.Ordinal).ToList() ?? [];
        var granted = new SubscriptionsListenNotifications
        {
            // The gateway declares listChanged for all three lists, so it honours each one asked for.
            ToolsListChanged = requested.ToolsListChanged == true ? true : null,
            PromptsListChanged = requested.PromptsListChanged == true ? true : null,
            ResourcesListChanged = requested.ResourcesListChanged == true ? true : null,
            ResourceSubscriptions = uris.Count > 0 ? uris : null,
        };

        // Client cancel or disconnect, and shutdown: a held request must not keep Kestrel draining until its timeout.
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, caller.RequestAborted, _lifetime.ApplicationStopping);
        var stream = new ListenStream(request.Server, request.JsonRpcRequest.Id, granted, _logger);
        _open[stream] = 0;
        var opened = false;
        try
        {
            foreach (var uri in uris)
            {
                await _subscriptions.SubscribeAsync(caller, stream, uri, ended.Token);
            }

            opened = true;
            Log.Opened(_logger, stream.SubscriberId, granted.ToolsListChanged == true, granted.PromptsListChanged == true, granted.ResourcesListChanged == true, uris.Count);
            await stream.RunAsync(ended.Token);
        }
        catch (OperationCanceledException) when (ended.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Ended by the gateway (shutdown) or by the client going away: the request completes with its empty result.
        }
        finally
        {
            _open.TryRemove(stream, out _);
            await _subscriptions.ReleaseAsync(stream);
            if (opened)
            {
                Log.Ended(_logger, stream.SubscriberId, _lifetime.ApplicationStopping.IsCancellationRequested ? "gateway shutdown" : "client cancelled or went away");
            }
        }

        return new EmptyResult();
    }

    private void OnPrimitivesChanged(FederatedListChange change)
    {
        if (change.HasFlag(FederatedListChange.Resources))
        {
            Broadcast(NotificationMethods.ResourceListChangedNotification);
        }

        if (change.HasFlag(FederatedListChange.Prompts))
        {
            Broadcast(NotificationMethods.PromptListChangedNotification);
        }
    }

    private void Broadcast(string method)
    {
        foreach (var stream in _open.Keys)
        {
            stream.OnListChanged(method);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3480, Level = LogLevel.Debug, Message = "subscriptions/listen request {Subscriber} opened: tools {Tools}, prompts {Prompts}, resources {Resources} list_changed, {Uris} resource URIs")]
        public static partial void Opened(ILogger logger, string subscriber, bool tools, bool prompts, bool resources, int uris);

        [LoggerMessage(EventId = 3481, Level = LogLevel.Debug, Message = "subscriptions/listen request {Subscriber} ended ({Reason}); its resource subscriptions are released")]
        public static partial void Ended(ILogger logger, string subscriber, string reason);
    }
}
