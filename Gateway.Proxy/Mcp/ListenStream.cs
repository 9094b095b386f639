using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Gateway.Proxy.Federation.Resources;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Gateway.Proxy.Mcp;

/// <summary>
/// One open <c>subscriptions/listen</c> request: what it was granted, and the notifications waiting to go out on its
/// own response stream, sent one at a time after the acknowledgement and tagged with its id (SEP-2575).
/// </summary>
internal sealed partial class ListenStream : IResourceUpdateListener
{
    // Notifications only tell the client to read again: a client this far behind loses some rather than the gateway
    // holding its backlog in memory.
    private const int MaxPending = 256;

    private readonly Channel<JsonRpcNotification> _pending = Channel.CreateBounded<JsonRpcNotification>(
        new BoundedChannelOptions(MaxPending) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    private readonly McpServer _server;
    private readonly RequestId _id;
    private readonly ILogger _logger;

    /// <param name="server">The request's server, which sends on this request's response stream.</param>
    public ListenStream(McpServer server, RequestId id, SubscriptionsListenNotifications granted, ILogger logger)
    {
        _server = server;
        _id = id;
        Granted = granted;
        _logger = logger;
    }

    public SubscriptionsListenNotifications Granted { get; }

    public string SubscriberId { get; } = "listen:" + Guid.NewGuid().ToString("N");

    public void OnResourceUpdated(string uri) =>
        Enqueue(NotificationMethods.ResourceUpdatedNotification, new JsonObject { ["uri"] = uri });

    /// <summary>Queues a <c>*/list_changed</c> notification if this request asked for it.</summary>
    public void OnListChanged(string method)
    {
        var granted = method switch
        {
            NotificationMethods.ToolListChangedNotification => Granted.ToolsListChanged,
            NotificationMethods.PromptListChangedNotification => Granted.PromptsListChanged,
            NotificationMethods.ResourceListChangedNotification => Granted.ResourcesListChanged,
            _ => null,
        };
        if (granted == true)
        {
            Enqueue(method, new JsonObject());
        }
    }

    /// <summary>Sends the acknowledgement, then the queued notifications until <paramref name="ended"/>.</summary>
    public async Task RunAsync(CancellationToken ended)
    {
        var acknowledgement = JsonSerializer.SerializeToNode(
            new SubscriptionsAcknowledgedNotificationParams { Notifications = Granted },
            McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(SubscriptionsAcknowledgedNotificationParams)))!.AsObject();
        await _server.SendMessageAsync(Tagged(NotificationMethods.SubscriptionsAcknowledgedNotification, acknowledgement), ended);
        await foreach (var notification in _pending.Reader.ReadAllAsync(ended))
        {
            await _server.SendMessageAsync(notification, ended);
        }
    }

    private void Enqueue(string method, JsonObject parameters)
    {
        if (!_pending.Writer.TryWrite(Tagged(method, parameters)))
        {
            Log.Dropped(_logger, method, SubscriberId, MaxPending);
        }
    }

    private JsonRpcNotification Tagged(string method, JsonObject parameters)
    {
        parameters["_meta"] = new JsonObject { [MetaKeys.SubscriptionId] = _id.Id is long number ? JsonValue.Create(number) : JsonValue.Create(_id.Id as string) };
        return new JsonRpcNotification { Method = method, Params = parameters };
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3482, Level = LogLevel.Warning, Message = "{Method} was not sent on subscriptions/listen request {Subscriber}: its client has {Pending} notifications it has not read yet")]
        public static partial void Dropped(ILogger logger, string method, string subscriber, int pending);
    }
}
