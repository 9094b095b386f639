using System.Collections.Frozen;

namespace Gateway.Proxy.Security.Authorization;

/// <summary>
/// The verified facts about a caller, read once from the configured claim names (<c>Gateway:Auth:Claims</c>) or an API
/// key's record. Every consumer reads the caller from here: authorization, session ownership, rate-limit partitions,
/// audit, identity headers to backends.
/// </summary>
public sealed class CallerIdentity
{
    public static readonly CallerIdentity Anonymous = new(false, null, null, null, FrozenSet<string>.Empty, FrozenSet<string>.Empty);

    public CallerIdentity(
        bool isAuthenticated, string? subject, string? tenant, string? tier, FrozenSet<string> scopes, FrozenSet<string> roles, string? apiKeyId = null)
    {
        ApiKeyId = apiKeyId;
        IsAuthenticated = isAuthenticated;
        Subject = string.IsNullOrEmpty(subject) ? null : subject;
        Tenant = string.IsNullOrEmpty(tenant) ? null : tenant;
        Tier = string.IsNullOrEmpty(tier) ? null : tier;
        Scopes = scopes;
        Roles = roles;
        PrincipalKey = isAuthenticated && Subject is not null ? "sub:" + Subject : null;
    }

    public bool IsAuthenticated { get; }

    public string? Subject { get; }

    public string? Tenant { get; }

    public string? Tier { get; }

    public FrozenSet<string> Scopes { get; }

    public FrozenSet<string> Roles { get; }

    /// <summary>The id of the API key the caller presented (audit names it; rotation reports read it), else null.</summary>
    public string? ApiKeyId { get; }

    /// <summary>
    /// <c>sub:&lt;subject&gt;</c> for an authenticated caller with a subject, else null: who owns a session and whose
    /// rate-limit budget a call uses. The prefix keeps it apart from the <c>ip:</c> keys of anonymous callers.
    /// </summary>
    public string? PrincipalKey { get; }
}
