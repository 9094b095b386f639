using System.Net.Http.Headers;
using Gateway.Proxy.Security.Authorization;
using Gateway.Transforms.Mapping;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Gateway.Proxy.Security.Forwarding;

/// <summary>
/// No token passthrough (MCP authorization spec), for every request the gateway sends a backend or an upstream MCP
/// server: the client's credentials (Authorization, Proxy-Authorization, Cookie, the API-key header) and any identity
/// headers it sent are removed, and the verified identity goes instead: subject, tenant and tier, plus a request id.
/// Names are compared the way backends fold them (any case, '-' and '_' alike), so <c>X_Gateway_Subject</c> is stripped
/// like <c>X-Gateway-Subject</c>, and the whole <c>X-Gateway-</c> namespace belongs to the gateway.
/// </summary>
public sealed class VerifiedIdentityHeaders
{
    private readonly string[] _stripped;
    private readonly IdentityHeaderOptions _headers;
    private readonly CallerIdentityResolver _callers;

    public VerifiedIdentityHeaders(IOptions<SecurityOptions> options, CallerIdentityResolver callers)
    {
        var security = options.Value;
        _headers = security.IdentityHeaders;
        _callers = callers;
        _stripped = new[]
            {
                HeaderNames.Authorization, HeaderNames.ProxyAuthorization, HeaderNames.Cookie, security.ApiKeys.HeaderName,
                _headers.Subject, _headers.Tenant, _headers.Tier,
            }
            .Concat(security.IdentityHeaders.Strip)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToArray();
    }

    /// <summary>Removes every credential and identity header from <paramref name="outgoing"/>, including the spellings the client used.</summary>
    public void Strip(HttpRequestHeaders outgoing, IHeaderDictionary client)
    {
        foreach (var name in _stripped)
        {
            outgoing.Remove(name);
        }

        // Copied client headers keep their own spelling; remove every one a backend would fold into a stripped name or
        // the gateway's namespace.
        foreach (var header in client)
        {
            if (IsStripped(header.Key))
            {
                outgoing.Remove(header.Key);
            }
        }
    }

    /// <summary>Adds the caller's verified identity (when authenticated) and the request id.</summary>
    public void Add(HttpRequestHeaders outgoing, HttpContext caller)
    {
        var identity = _callers.Resolve(caller.User);
        if (identity.IsAuthenticated)
        {
            Add(outgoing, _headers.Subject, identity.Subject);
            Add(outgoing, _headers.Tenant, identity.Tenant);
            Add(outgoing, _headers.Tier, identity.Tier);
        }

        if (!outgoing.Contains(_headers.RequestId))
        {
            outgoing.TryAddWithoutValidation(_headers.RequestId, caller.TraceIdentifier);
        }
    }

    /// <summary>Whether a header of this name would be stripped (in any folded spelling).</summary>
    public bool IsStripped(string name)
    {
        if (HeaderFieldName.IsGatewayNamespace(name))
        {
            return true;
        }

        foreach (var stripped in _stripped)
        {
            if (HeaderFieldName.FoldedEquals(name, stripped))
            {
                return true;
            }
        }

        return false;
    }

    private static void Add(HttpRequestHeaders headers, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            headers.TryAddWithoutValidation(name, HeaderValue.Encode(value));
        }
    }
}
