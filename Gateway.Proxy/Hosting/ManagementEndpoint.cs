namespace Gateway.Proxy.Hosting;

/// <summary>What an operator-facing endpoint is; endpoint metadata read by the management-port filter and operator access.</summary>
public enum ManagementEndpointKind
{
    /// <summary><c>/health</c>, <c>/ready</c>: answered on every listener, to anyone, with details only for operators.</summary>
    Probe,

    /// <summary><c>/metrics</c>, <c>/status/*</c>: the management listener only, or the operator role on the main listener.</summary>
    Operator,
}

public sealed record ManagementEndpointMetadata(ManagementEndpointKind Kind)
{
    public static readonly ManagementEndpointMetadata Probe = new(ManagementEndpointKind.Probe);
    public static readonly ManagementEndpointMetadata Operator = new(ManagementEndpointKind.Operator);

    public static ManagementEndpointKind? Of(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<ManagementEndpointMetadata>()?.Kind;
}

public static class ManagementEndpointExtensions
{
    public static TBuilder AsProbeEndpoint<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(ManagementEndpointMetadata.Probe);

    public static TBuilder AsOperatorEndpoint<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(ManagementEndpointMetadata.Operator);
}

/// <summary>The operator endpoints' paths, for checks that work on configured paths (e.g. AnonymousPaths).</summary>
public static class OperatorEndpoints
{
    public static readonly IReadOnlyList<string> Paths = ["/metrics", "/status/health", "/status/servers", "/status/servers/cluster", "/status/metrics"];
}
