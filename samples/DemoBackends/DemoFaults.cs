namespace DemoBackends;

/// <summary>The fault switches of all four backends.</summary>
public sealed class DemoFaults
{
    private readonly Dictionary<string, BackendFaults> _byName;

    internal DemoFaults()
    {
        _byName = new Dictionary<string, BackendFaults>(StringComparer.Ordinal);
        foreach (var name in BackendNames.All)
        {
            _byName[name] = new BackendFaults(name);
        }
    }

    public BackendFaults LlmGateway => _byName[BackendNames.LlmGateway];
    public BackendFaults SemanticSearch => _byName[BackendNames.SemanticSearch];
    public BackendFaults AiAgents => _byName[BackendNames.AiAgents];
    public BackendFaults CodeOrchestrator => _byName[BackendNames.CodeOrchestrator];

    public BackendFaults this[string name] => _byName.TryGetValue(name, out var faults)
        ? faults
        : throw new ArgumentException($"Unknown backend '{name}'. Known: {string.Join(", ", BackendNames.All)}.", nameof(name));

    /// <summary>Resets every backend's faults and counters (the up/down state is the host's).</summary>
    public void ResetAll()
    {
        foreach (var faults in _byName.Values)
        {
            faults.Reset();
        }
    }
}
