using Gateway.Proxy.Health;

namespace Gateway.Proxy.Resilience;

/// <summary>Unhealthy as soon as the gateway starts draining, so the ingress stops sending it new requests.</summary>
public sealed class LifecycleReadinessCheck : IReadinessCheck
{
    private static readonly ValueTask<ReadinessResult> s_ready = ValueTask.FromResult(ReadinessResult.Healthy());
    private static readonly ValueTask<ReadinessResult> s_draining =
        ValueTask.FromResult(ReadinessResult.Unhealthy("draining: the gateway is shutting down and finishing in-flight requests"));

    private readonly DrainState _drain;

    public LifecycleReadinessCheck(DrainState drain) => _drain = drain;

    public string Name => "lifecycle";

    public ValueTask<ReadinessResult> CheckAsync(CancellationToken cancellationToken) => _drain.IsDraining ? s_draining : s_ready;
}
