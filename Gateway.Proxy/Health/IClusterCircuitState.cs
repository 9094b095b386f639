namespace Gateway.Proxy.Health;

/// <summary>Circuit state per cluster for /status/servers (closed, half_open, open), supplied by the resilience layer.</summary>
public interface IClusterCircuitState
{
    string StateOf(string clusterId);
}
