using System.Net;
using Gateway.Proxy.Mcp;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Security.DnsRebinding;

/// <summary>
/// The <c>Host</c> rule against DNS rebinding: a page on <c>attacker.example</c> whose name now resolves to this
/// machine still sends <c>Host: attacker.example</c>. Enforced whenever authentication is off (then nothing else
/// stands between that page and the tools) and whenever <c>Gateway:Mcp:AllowedHosts</c> lists hosts. Accepted:
/// <c>localhost</c>, loopback IP literals (browsers never resolve those through DNS) and the listed hosts, with any
/// port. A request without Host (HTTP/1.0) is refused while the rule is enforced.
/// </summary>
public sealed class HostPolicy
{
    private readonly string[] _names;
    private readonly IPAddress[] _addresses;

    public HostPolicy(IOptions<McpOptions> mcp, IOptions<SecurityOptions> security)
    {
        var names = new List<string>();
        var addresses = new List<IPAddress>();
        foreach (var entry in mcp.Value.AllowedHosts)
        {
            if (TryParseAddress(entry, out var address))
            {
                addresses.Add(address);
            }
            else
            {
                names.Add(entry);
            }
        }

        _names = [.. names];
        _addresses = [.. addresses];
        IsEnforced = !security.Value.Enabled || _names.Length > 0 || _addresses.Length > 0;
    }

    public bool IsEnforced { get; }

    public bool IsAllowed(HttpRequest request)
    {
        if (!IsEnforced)
        {
            return true;
        }

        var host = request.Host;
        if (!host.HasValue || host.Host.Length == 0)
        {
            return false;
        }

        var name = host.Host;
        if (TryParseAddress(name, out var address))
        {
            return IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address) || _addresses.Contains(address);
        }

        if (name.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var allowed in _names)
        {
            if (name.Equals(allowed, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An entry of <c>AllowedHosts</c>: a DNS name or an IP literal, without port, wildcard or trailing dot.</summary>
    internal static bool IsValidEntry(string entry) =>
        entry.Length > 0 && !entry.EndsWith('.') && !entry.Contains('*')
        && (TryParseAddress(entry, out _) || Uri.CheckHostName(entry) == UriHostNameType.Dns);

    private static bool TryParseAddress(string text, out IPAddress address)
    {
        var literal = text.StartsWith('[') && text.EndsWith(']') ? text[1..^1] : text;
        if (IPAddress.TryParse(literal, out var parsed) && (literal.Contains(':') || Uri.CheckHostName(literal) == UriHostNameType.IPv4))
        {
            address = parsed;
            return true;
        }

        address = IPAddress.None;
        return false;
    }
}
