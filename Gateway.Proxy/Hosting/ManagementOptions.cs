namespace Gateway.Proxy.Hosting;

/// <summary>
/// A separate listener for operators (section <c>Gateway:Management</c>). When <see cref="Port"/> is set, Kestrel also
/// listens on that port, on the same host(s) as the main listener; <c>/metrics</c> and <c>/status/*</c> are served
/// there only (404 on the main port), <c>/health</c> and <c>/ready</c> on both, and nothing else on the management port.
/// </summary>
public sealed class ManagementOptions
{
    public const string SectionName = "Gateway:Management";

    public const string PortKey = SectionName + ":Port";

    /// <summary>Unset (the default): no management listener; the operator endpoints stay on the main port behind the operator role.</summary>
    public int? Port { get; set; }

    public static bool IsConfigured(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[PortKey]);
}
