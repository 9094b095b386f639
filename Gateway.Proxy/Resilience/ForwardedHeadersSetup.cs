using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Gateway.Proxy.Resilience;

/// <summary>Builds the X-Forwarded-* handling from <see cref="IngressOptions"/>.</summary>
public static class ForwardedHeadersSetup
{
    /// <summary>
    /// Configured proxies and networks replace ASP.NET's defaults; with none configured only loopback is trusted
    /// (the framework default), so a client on the network can never spoof its address or scheme.
    /// </summary>
    public static ForwardedHeadersOptions Create(IngressOptions ingress)
    {
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost,
            ForwardLimit = ingress.ForwardLimit,
        };

        if (ingress.KnownProxies.Count > 0 || ingress.KnownNetworks.Count > 0)
        {
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in ingress.KnownProxies)
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in ingress.KnownNetworks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        }

        return options;
    }
}
