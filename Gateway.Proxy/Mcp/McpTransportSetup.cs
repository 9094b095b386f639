using Microsoft.Extensions.Options;
using ModelContextProtocol.AspNetCore;

namespace Gateway.Proxy.Mcp;

/// <summary>The SDK's HTTP transport options, from <c>Gateway:Mcp</c>.</summary>
public sealed class McpTransportSetup : IConfigureOptions<HttpServerTransportOptions>
{
    private readonly McpOptions _options;
    private readonly McpStatefulSessions _sessions;
    private readonly ServerInstructions _instructions;
    private readonly McpEventStore _events;

    public McpTransportSetup(IOptions<McpOptions> options, McpStatefulSessions sessions, ServerInstructions instructions, McpEventStore events)
    {
        _instructions = instructions;
        _events = events;
        _options = options.Value;
        _sessions = sessions;
    }

    public void Configure(HttpServerTransportOptions transport)
    {
        // Stateful serves sessions to initialize clients only; 2026-07-28 requests carry no session and stay stateless.
        transport.SessionMode = _options.Stateful ? HttpServerSessionMode.StatefulForInitializeClients : HttpServerSessionMode.Stateless;
        // Without this hook the SDK starts every stateful session from one options snapshot; the instructions follow
        // the catalog as it is when the session starts.
        transport.ConfigureSessionOptions = (context, options, _) =>
        {
            options.ServerInstructions = _instructions.Current;
            // 2026-07-28 clients subscribe to resources with subscriptions/listen, which needs no session (ListenStreams);
            // the options are built afresh for each server, so this declares it to them only.
            if (McpProtocolVersions.RequiresPerRequestMetadata(context.Request.Headers[McpHttpHeaders.ProtocolVersion].ToString())
                && options.Capabilities?.Resources is { } resources)
            {
                resources.Subscribe = true;
            }

            return Task.CompletedTask;
        };
#pragma warning disable MCP9006 // Idle expiry of the initialize-handshake sessions that Gateway:Mcp:Stateful serves.
        transport.IdleTimeout = _options.SessionIdleTimeout;
#pragma warning restore MCP9006
#pragma warning disable MCPEXP002 // The one hook that sees a session start and end: capacity slots and list_changed need both.
        transport.RunSessionHandler = _sessions.RunAsync;
#pragma warning restore MCPEXP002
#pragma warning disable MCP9006 // Gateway:Mcp:Resumability, for the stateful sessions above.
        transport.EventStreamStore = _events.Store;
#pragma warning restore MCP9006
    }
}
