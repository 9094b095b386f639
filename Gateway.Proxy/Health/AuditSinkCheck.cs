using Gateway.Proxy.Observability.Audit;

namespace Gateway.Proxy.Health;

/// <summary>
/// Degraded when audit entries were lost since the last probe (queue full or disk errors): the gateway keeps serving,
/// and operators see it. Not unhealthy, because taking traffic away would not bring the entries back.
/// </summary>
public sealed class AuditSinkCheck(AuditTrail audit) : IReadinessCheck
{
    private long _lostAtLastProbe;

    public string Name => "audit";

    public ValueTask<ReadinessResult> CheckAsync(CancellationToken cancellationToken)
    {
        var counters = audit.Counters;
        var lost = counters.Dropped + counters.Failed;
        var previous = Interlocked.Exchange(ref _lostAtLastProbe, lost);
        var detail = $"written {counters.Written}, forwarded {counters.Forwarded}, pending {counters.Pending}, dropped {counters.Dropped}, failed {counters.Failed}";
        return ValueTask.FromResult(lost > previous ? ReadinessResult.Degraded(detail) : ReadinessResult.Healthy(detail));
    }
}
