namespace Gateway.Transforms.Federation;

/// <summary>The upstreams of the routes.json generation that is serving, swapped with it on reload.</summary>
public sealed class UpstreamDefinitions
{
    private IReadOnlyList<UpstreamDefinition> _current = [];

    public IReadOnlyList<UpstreamDefinition> Current => Volatile.Read(ref _current);

    /// <summary>Raised after a generation's upstreams are published.</summary>
    public event Action<IReadOnlyList<UpstreamDefinition>>? Changed;

    public void Publish(IReadOnlyList<UpstreamDefinition> upstreams)
    {
        Volatile.Write(ref _current, upstreams);
        Changed?.Invoke(upstreams);
    }
}
