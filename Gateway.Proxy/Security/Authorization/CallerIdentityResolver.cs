using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Security.Authorization;

/// <summary>
/// The one place a caller's identity is read: a <see cref="CallerIdentity"/> from the principal's claims under the
/// configured names (<c>Gateway:Auth:Claims</c>), once per principal (tools/list asks for every tool, and a tool call's
/// context shares the inbound request's principal). API keys attach the identity built from their record instead.
/// </summary>
public sealed class CallerIdentityResolver
{
    private const string ScpClaim = "scp";

    private readonly ClaimNameOptions _claims;
    private readonly ConditionalWeakTable<ClaimsPrincipal, CallerIdentity> _cache = new();
    private readonly ConditionalWeakTable<ClaimsPrincipal, CallerIdentity>.CreateValueCallback _create;

    public CallerIdentityResolver(IOptions<SecurityOptions> options)
    {
        _claims = options.Value.Claims;
        _create = Create;
    }

    public CallerIdentity Resolve(ClaimsPrincipal? user) =>
        user?.Identity?.IsAuthenticated == true ? _cache.GetValue(user, _create) : CallerIdentity.Anonymous;

    /// <summary>
    /// Who the caller is for budgets and caps: <see cref="CallerIdentity.PrincipalKey"/> (<c>sub:…</c>), or
    /// <c>ip:&lt;client address&gt;</c> for anonymous callers (and authenticated ones without a subject).
    /// </summary>
    public string PartitionKey(HttpContext context) =>
        Resolve(context.User).PrincipalKey ?? ClientAddressKey(context);

    /// <summary>Records the identity of a principal built from a trusted record (an API key), so it is never re-derived.</summary>
    public void Attach(ClaimsPrincipal user, CallerIdentity identity) => _cache.AddOrUpdate(user, identity);

    public static string ClientAddressKey(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is { IsIPv4MappedToIPv6: true })
        {
            address = address.MapToIPv4();
        }

        return address is null ? "ip:unknown" : "ip:" + address;
    }

    private CallerIdentity Create(ClaimsPrincipal user)
    {
        string? subject = null, tenant = null, tier = null;
        var scopes = new HashSet<string>(StringComparer.Ordinal);
        var roles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var claim in user.Claims)
        {
            var type = claim.Type;
            if (type == _claims.Subject)
            {
                subject ??= claim.Value;
            }
            else if (type == _claims.Tenant)
            {
                tenant ??= claim.Value;
            }
            else if (type == _claims.Tier)
            {
                tier ??= claim.Value;
            }
            else if (type == _claims.Scope || type == ScpClaim)
            {
                foreach (var scope in claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    scopes.Add(scope);
                }
            }
            else if (type == _claims.Roles)
            {
                roles.Add(claim.Value);
            }
        }

        return new CallerIdentity(true, subject, tenant, tier, scopes.ToFrozenSet(StringComparer.Ordinal), roles.ToFrozenSet(StringComparer.Ordinal));
    }
}
