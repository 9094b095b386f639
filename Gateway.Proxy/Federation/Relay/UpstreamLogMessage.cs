// Logging is deprecated as of 2026-07-28 (SEP-2577), but upstreams on 2025-11-25 and the clients calling the gateway
// still use it.
#pragma warning disable MCP9005
using ModelContextProtocol.Protocol;

namespace Gateway.Proxy.Federation.Relay;

/// <summary>
/// An upstream's log message as the gateway relays it: level and data unchanged, the logger name prefixed with the
/// server's name (<c>{server}/{logger}</c>, or <c>{server}</c> when the upstream named none), so a client that talks to
/// several upstreams through one gateway can tell whose message it is.
/// </summary>
internal static class UpstreamLogMessage
{
    public static LoggingMessageNotificationParams From(string server, LoggingMessageNotificationParams message) => new()
    {
        Level = message.Level,
        Logger = string.IsNullOrEmpty(message.Logger) ? server : server + "/" + message.Logger,
        Data = message.Data,
        Meta = message.Meta,
    };
}
