namespace Gateway.Proxy.Security.Keys;

/// <summary>One API key in the key file. The key itself is never stored: only its hash.</summary>
public sealed class ApiKeyRecord
{
    /// <summary>The public part of the key (<c>mcpgw_&lt;id&gt;_&lt;secret&gt;</c>); used for lookup, metrics and logs.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary><c>sha256:&lt;64 hex digits&gt;</c> of the whole key.</summary>
    public string Hash { get; set; } = string.Empty;

    public string Subject { get; set; } = string.Empty;

    public string? Tenant { get; set; }

    public string Tier { get; set; } = string.Empty;

    public IList<string> Scopes { get; set; } = [];

    public IList<string> Roles { get; set; } = [];

    public string? Description { get; set; }

    public DateTimeOffset Created { get; set; }

    public DateTimeOffset? Expires { get; set; }

    /// <summary>
    /// When the key stops working: set to now by <c>keys revoke</c>, to the end of the grace period by <c>keys rotate</c>.
    /// A revoked key stays in the file so its history is not lost.
    /// </summary>
    public DateTimeOffset? Revoked { get; set; }

    /// <summary>The id of the key that replaced this one (<c>keys rotate</c>).</summary>
    public string? ReplacedBy { get; set; }

    /// <summary>Revoked now, as opposed to not revoked or only scheduled to be (a rotation's grace period).</summary>
    public bool IsRevokedAt(DateTimeOffset now) => Revoked is { } revoked && revoked <= now;
}
