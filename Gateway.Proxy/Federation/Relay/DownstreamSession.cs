using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Gateway.Proxy.Federation.Relay;

/// <summary>
/// One stateful downstream session, as the upstream sessions bound to it see it: what its client declared, and the
/// calls it has in flight. The upstream's requests and log messages go on the response stream of one of those calls
/// (an upstream asks while it runs a tool, and that stream is open until the call ends), otherwise through the
/// session's own server, on the client's GET stream.
/// </summary>
public sealed class DownstreamSession
{
    private readonly Lock _gate = new();
    private readonly List<McpServer> _inFlight = [];

    private readonly McpServer? _session;

    public DownstreamSession(string id, ClientCapabilities capabilities, McpServer? session)
    {
        Id = id;
        Capabilities = capabilities;
        _session = session;
    }

    public string Id { get; }

    public ClientCapabilities Capabilities { get; }

    /// <summary>Where a message to the client goes: the most recent call still in flight, else the session's own server.</summary>
    public McpServer? Target
    {
        get
        {
            lock (_gate)
            {
                return _inFlight.Count > 0 ? _inFlight[^1] : _session;
            }
        }
    }

    /// <summary>Marks the call <paramref name="server"/> is bound to as in flight until the scope is disposed.</summary>
    public Scope Enter(McpServer server)
    {
        lock (_gate)
        {
            _inFlight.Add(server);
        }

        return new Scope(this, server);
    }

    /// <summary>Where an upstream request goes.</summary>
    /// <exception cref="McpProtocolException">No call of the session is in flight.</exception>
    public McpServer Forward(string method) =>
        Target ?? throw new McpProtocolException(
            $"The MCP gateway could not pass {method} on: the client's session has ended.", McpErrorCode.InvalidRequest);

    private void Leave(McpServer server)
    {
        lock (_gate)
        {
            _inFlight.Remove(server);
        }
    }

    /// <summary>A call in flight; the default value stands for none.</summary>
    public readonly struct Scope(DownstreamSession session, McpServer server) : IDisposable
    {
        public void Dispose() => session?.Leave(server);
    }
}
