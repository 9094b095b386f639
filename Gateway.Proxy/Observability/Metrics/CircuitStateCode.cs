namespace Gateway.Proxy.Observability.Metrics;

/// <summary>The value exported by <c>mcp_circuit_state</c>.</summary>
public enum CircuitStateCode
{
    Closed = 0,
    HalfOpen = 1,
    Open = 2,
}
