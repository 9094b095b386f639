namespace Gateway.Transforms.Pipeline;

/// <summary>
/// Per-call facts gathered by the pipeline for audit and metrics, on every proxied call
/// (MCP, REST facade and REST passthrough alike).
/// </summary>
public sealed class GatewayCallFeature
{
    private List<string>? _securityFlags;

    public IReadOnlyList<string> SecurityFlags => (IReadOnlyList<string>?)_securityFlags ?? [];

    /// <summary>The rejection that stopped the call, if any.</summary>
    public GatewayRejection? Rejection { get; set; }

    public void AddSecurityFlag(string flag) => (_securityFlags ??= new List<string>(2)).Add(flag);
}
