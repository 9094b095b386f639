// Sampling, roots and logging are deprecated as of 2026-07-28 (SEP-2577), but upstreams on 2025-11-25 and the
// clients calling the gateway still use them; relaying them is this file's job.
#pragma warning disable MCP9005
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Gateway.Proxy.Federation.Relay;

/// <summary>
/// The gateway as the upstream's client: the capabilities it declares in <c>initialize</c> and what it does with the
/// upstream's own requests (<c>sampling/createMessage</c>, <c>elicitation/create</c>, <c>roots/list</c>) and log messages.
/// <list type="bullet">
/// <item><b>Shared</b> (the session used for the catalog and for every other call): declares sampling, elicitation and
/// roots, so the catalog lists the tools an upstream offers to capable clients; the upstream's requests cannot be told
/// apart by caller on a shared session, so each is answered with an MCP error that says what the caller needs (a stateful
/// session with a client that supports it). Log messages a call's own response stream carries go to that call's caller
/// (<see cref="CallRelay"/>); those on the standalone stream belong to no call and are not relayed.</item>
/// <item><b>Bound to one downstream session</b> (stateful mode, a client that declared one of them): declares what that
/// client declared and forwards each request to it (on the stream of one of its calls in flight, else its GET stream);
/// all its log messages go to that client at the level it set.</item>
/// </list>
/// </summary>
public sealed partial class UpstreamClientRole
{
    /// <summary>The settings that turn stateful sessions on, for error texts.</summary>
    public const string StatefulSetting = "Gateway:Mcp:Stateful=true (environment MCP_GATEWAY_MCP_STATEFUL=true)";

    private static readonly System.Text.Json.Serialization.Metadata.JsonTypeInfo s_logType =
        McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(LoggingMessageNotificationParams));

    private readonly string _server;
    private readonly DownstreamSession? _owner;
    private readonly ILogger _logger;

    private UpstreamClientRole(string server, DownstreamSession? owner, ILogger logger)
    {
        _server = server;
        _owner = owner;
        _logger = logger;
    }

    public static UpstreamClientRole Shared(string server, ILogger logger) => new(server, null, logger);

    public static UpstreamClientRole BoundTo(string server, DownstreamSession owner, ILogger logger) => new(server, owner, logger);

    public DownstreamSession? Owner => _owner;

    public ClientCapabilities Capabilities() => _owner is { } owner
        ? new ClientCapabilities
        {
            Sampling = owner.Capabilities.Sampling is null ? null : new SamplingCapability(),
            Elicitation = owner.Capabilities.Elicitation is { } elicitation
                ? new ElicitationCapability { Form = elicitation.Form, Url = elicitation.Url }
                : null,
            Roots = owner.Capabilities.Roots is null ? null : new RootsCapability(),
        }
        : new ClientCapabilities
        {
            Sampling = new SamplingCapability(),
            Elicitation = new ElicitationCapability { Form = new FormElicitationCapability() },
            Roots = new RootsCapability(),
        };

    public void Configure(McpClientHandlers handlers)
    {
        if (_owner is not { } owner)
        {
            handlers.SamplingHandler = (_, _, _) => throw Undeliverable("sampling", RequestMethods.SamplingCreateMessage);
            handlers.ElicitationHandler = (_, _) => throw Undeliverable("elicitation", RequestMethods.ElicitationCreate);
            handlers.RootsHandler = (_, _) => throw Undeliverable("roots", RequestMethods.RootsList);
            return;
        }

        if (owner.Capabilities.Sampling is not null)
        {
            handlers.SamplingHandler = (request, _, cancellationToken) =>
                owner.Forward(RequestMethods.SamplingCreateMessage).SampleAsync(Required(request), cancellationToken);
        }

        if (owner.Capabilities.Elicitation is not null)
        {
            handlers.ElicitationHandler = (request, cancellationToken) =>
                owner.Forward(RequestMethods.ElicitationCreate).ElicitAsync(Required(request), cancellationToken);
        }

        if (owner.Capabilities.Roots is not null)
        {
            handlers.RootsHandler = (request, cancellationToken) =>
                owner.Forward(RequestMethods.RootsList).RequestRootsAsync(request ?? new ListRootsRequestParams(), cancellationToken);
        }

        handlers.NotificationHandlers = [.. handlers.NotificationHandlers ?? [], new(NotificationMethods.LoggingMessageNotification, RelayLogAsync)];
    }

    private async ValueTask RelayLogAsync(JsonRpcNotification notification, CancellationToken cancellationToken)
    {
        if (_owner?.Target is not { } server
            || notification.Params is null
            || JsonSerializer.Deserialize(notification.Params, s_logType) is not LoggingMessageNotificationParams message
            || !Wanted(server, message.Level))
        {
            return;
        }

        try
        {
            await server.SendNotificationAsync(NotificationMethods.LoggingMessageNotification, UpstreamLogMessage.From(_server, message),
                McpJsonUtilities.DefaultOptions, cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not OperationCanceledException)
        {
            Log.LogRelayFailed(_logger, _server, ex.Message);
        }
    }

    // The level the client set with logging/setLevel; none set: none, as the SDK's own server logging does.
    private static bool Wanted(McpServer server, LoggingLevel level) => server.LoggingLevel is { } minimum && level >= minimum;

    private McpProtocolException Undeliverable(string capability, string method)
    {
        Log.UpstreamRequestRefused(_logger, _server, method);
        return new McpProtocolException(
            $"Upstream MCP server '{_server}' asked the client for {capability} ({method}), which the MCP gateway can pass on only to a client " +
            $"in a stateful session that declared the {capability} capability (protocol 2025-11-25 or earlier: a 2026-07-28 client has no " +
            $"session to receive it). Turn on stateful sessions ({StatefulSetting}) and call from a client that supports {capability} on such a session.",
            McpErrorCode.MethodNotFound);
    }

    private static T Required<T>(T? request) where T : class =>
        request ?? throw new McpProtocolException("The upstream's request had no params.", McpErrorCode.InvalidParams);

    private static partial class Log
    {
        [LoggerMessage(EventId = 3421, Level = LogLevel.Information, Message = "Upstream '{Server}' sent {Method} on the shared session; refused (only a stateful session whose client declared the capability can answer it)")]
        public static partial void UpstreamRequestRefused(ILogger logger, string server, string method);

        [LoggerMessage(EventId = 3422, Level = LogLevel.Debug, Message = "Upstream '{Server}': could not relay a log message to the calling client: {Error}")]
        public static partial void LogRelayFailed(ILogger logger, string server, string error);
    }
}
