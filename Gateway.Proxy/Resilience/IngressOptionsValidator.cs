using System.Net;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Resilience;

public sealed class IngressOptionsValidator : IValidateOptions<IngressOptions>
{
    private const string Section = IngressOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, IngressOptions options)
    {
        var failures = new List<string>();
        if (options.PathBase.Length > 0 && (options.PathBase[0] != '/' || options.PathBase.EndsWith('/') || options.PathBase.Contains('?') || options.PathBase.Contains('#')))
        {
            failures.Add($"{Section}:PathBase '{options.PathBase}' must start with '/' and not end with '/', e.g. '/mcp-gateway'.");
        }

        foreach (var proxy in options.KnownProxies)
        {
            if (!IPAddress.TryParse(proxy, out _))
            {
                failures.Add($"{Section}:KnownProxies entry '{proxy}' is not an IP address; use e.g. '10.0.0.5' (networks go in KnownNetworks).");
            }
        }

        foreach (var network in options.KnownNetworks)
        {
            if (!IPNetwork.TryParse(network, out _))
            {
                failures.Add($"{Section}:KnownNetworks entry '{network}' is not a CIDR network; use e.g. '10.0.0.0/8'.");
            }
        }

        if (options.ForwardLimit < 1)
        {
            failures.Add($"{Section}:ForwardLimit is {options.ForwardLimit}; use at least 1 (the number of proxies in front of the gateway).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
