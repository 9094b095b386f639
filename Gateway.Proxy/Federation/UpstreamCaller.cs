namespace Gateway.Proxy.Federation;

/// <summary>
/// The tool call an upstream request is sent for. The SDK's client builds its HTTP requests itself and sends them on
/// the awaiting caller's flow, so the identity headers and the result-size cap of the one call that is in flight travel
/// in an async-local; requests the session makes on its own (initialize, tools/list, the GET stream) carry neither.
/// </summary>
internal static class UpstreamCaller
{
    private static readonly AsyncLocal<UpstreamCall?> s_current = new();

    public static UpstreamCall? Current => s_current.Value;

    public static Scope For(UpstreamCall? call)
    {
        var previous = s_current.Value;
        s_current.Value = call;
        return new Scope(previous);
    }

    public readonly struct Scope(UpstreamCall? previous) : IDisposable
    {
        public void Dispose() => s_current.Value = previous;
    }
}

/// <summary>One federated tool call on its way upstream: whose it is, and how large its answer may be.</summary>
public sealed class UpstreamCall(HttpContext caller, UpstreamResultCap cap)
{
    public HttpContext Caller { get; } = caller;

    /// <summary>The downstream MCP request the call runs for, when it came through the SDK server (progress, relays).</summary>
    public Relay.DownstreamRequest? Downstream { get; } = Relay.DownstreamRequest.Of(caller);

    public UpstreamResultCap Cap { get; } = cap;

    /// <summary>
    /// Sees each notification the upstream sends on this call's own response stream (Streamable HTTP), in order and
    /// before the call's answer, while set (<see cref="Relay.CallRelay"/>).
    /// </summary>
    public Action<ModelContextProtocol.Protocol.JsonRpcNotification>? RelatedNotifications { get; set; }
}
