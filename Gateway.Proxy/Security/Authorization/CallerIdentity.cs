using System.Collections.Frozen;

namespace Gateway.Proxy.Security.Authorization;

/// <summary>The verified facts about a caller that authorization and the identity headers use.</summary>
public sealed class CallerIdentity
{
    public static readonly CallerIdentity Anonymous = new(false, null, null, null, FrozenSet<string>.Empty, FrozenSet<string>.Empty);

    public CallerIdentity(bool isAuthenticated, string? subject, string? tenant, string? tier, FrozenSet<string> scopes, FrozenSet<string> roles)
    {
        IsAuthenticated = isAuthenticated;
        Subject = subject;
        Tenant = tenant;
        Tier = tier;
        Scopes = scopes;
        Roles = roles;
    }

    public bool IsAuthenticated { get; }

    public string? Subject { get; }

    public string? Tenant { get; }

    public string? Tier { get; }

    public FrozenSet<string> Scopes { get; }

    public FrozenSet<string> Roles { get; }
}
