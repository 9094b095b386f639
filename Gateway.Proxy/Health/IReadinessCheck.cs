namespace Gateway.Proxy.Health;

public enum ReadinessStatus
{
    Healthy,

    /// <summary>Serving, with reduced guarantees (e.g. rate limits per replica while Redis is away).</summary>
    Degraded,

    /// <summary>Not able to serve; /ready answers 503 so the ingress stops routing here.</summary>
    Unhealthy,
}

public readonly record struct ReadinessResult(ReadinessStatus Status, string? Detail = null)
{
    public static ReadinessResult Healthy(string? detail = null) => new(ReadinessStatus.Healthy, detail);

    public static ReadinessResult Degraded(string detail) => new(ReadinessStatus.Degraded, detail);

    public static ReadinessResult Unhealthy(string detail) => new(ReadinessStatus.Unhealthy, detail);
}

/// <summary>One named check behind <c>/ready</c> and <c>/status/health</c>. Must be fast: it runs on every probe.</summary>
public interface IReadinessCheck
{
    string Name { get; }

    ValueTask<ReadinessResult> CheckAsync(CancellationToken cancellationToken);
}
