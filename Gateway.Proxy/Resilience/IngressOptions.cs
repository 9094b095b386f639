namespace Gateway.Proxy.Resilience;

/// <summary>Running behind an ingress or load balancer (section <c>Gateway:Ingress</c>).</summary>
public sealed class IngressOptions
{
    public const string SectionName = "Gateway:Ingress";

    /// <summary>Prefix the ingress keeps on forwarded paths, e.g. <c>/mcp-gateway</c>; empty = served at the root.</summary>
    public string PathBase { get; set; } = string.Empty;

    /// <summary>Addresses of proxies whose X-Forwarded-For/-Proto/-Host headers are trusted.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks (CIDR, e.g. <c>10.0.0.0/8</c>) of proxies whose X-Forwarded-* headers are trusted.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>How many proxy hops of X-Forwarded-For are processed.</summary>
    public int ForwardLimit { get; set; } = 1;
}
