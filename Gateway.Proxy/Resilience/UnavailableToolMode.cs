namespace Gateway.Proxy.Resilience;

/// <summary>How <c>tools/list</c> and <c>GET /tools</c> show a tool whose backend cluster is currently unavailable.</summary>
public enum UnavailableToolMode
{
    /// <summary>Keep the tool listed, with a description suffix and <c>_meta</c> saying it is unavailable.</summary>
    Flag,

    /// <summary>Leave the tool out of the list until its cluster recovers; calls still fail fast with BackendUnavailable.</summary>
    Hide,
}
