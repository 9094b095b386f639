using System.Net;

namespace Gateway.Proxy.Security;

/// <summary>The addresses the host is configured to listen on, and whether they are all loopback.</summary>
internal static class ListenAddresses
{
    /// <summary>From <c>urls</c> (UseUrls, ASPNETCORE_URLS), <c>Kestrel:Endpoints:*:Url</c> and, without urls, <c>http_ports</c>/<c>https_ports</c>.</summary>
    public static IReadOnlyList<string> FromConfiguration(IConfiguration configuration)
    {
        var addresses = new List<string>();
        AddSplit(addresses, configuration[WebHostDefaults.ServerUrlsKey], static url => url);
        if (addresses.Count == 0)
        {
            AddSplit(addresses, configuration[WebHostDefaults.HttpPortsKey], static port => "http://*:" + port);
            AddSplit(addresses, configuration[WebHostDefaults.HttpsPortsKey], static port => "https://*:" + port);
        }

        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            if (endpoint["Url"] is { Length: > 0 } url)
            {
                addresses.Add(url);
            }
        }

        return addresses;
    }

    /// <summary>True for localhost and loopback IPs; false for wildcards (*, +, 0.0.0.0, [::]), names and other IPs.</summary>
    public static bool IsLoopback(string address)
    {
        var schemeEnd = address.IndexOf("://", StringComparison.Ordinal);
        var host = schemeEnd < 0 ? address : address[(schemeEnd + 3)..];
        var pathStart = host.IndexOf('/');
        if (pathStart >= 0)
        {
            host = host[..pathStart];
        }

        if (host.StartsWith('['))
        {
            var close = host.IndexOf(']');
            host = close < 0 ? host : host[1..close];
        }
        else if (host.LastIndexOf(':') is var colon and >= 0)
        {
            host = host[..colon];
        }

        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }

    private static void AddSplit(List<string> addresses, string? value, Func<string, string> map)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return;
        }

        foreach (var part in value.Split(';', ',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            addresses.Add(map(part));
        }
    }
}
