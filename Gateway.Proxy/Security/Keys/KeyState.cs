namespace Gateway.Proxy.Security.Keys;

/// <summary>The one status word <c>keys list</c> and <c>keys report</c> show for a key at a given time.</summary>
internal static class KeyState
{
    public const string Active = "active";
    public const string Expired = "expired";
    public const string Revoked = "revoked";

    /// <summary>Replaced by <c>keys rotate</c> and still valid until its grace period ends.</summary>
    public const string Retiring = "retiring";

    public static string Of(ApiKeyRecord key, DateTimeOffset now) =>
        key.IsRevokedAt(now) ? Revoked
        : key.Expires <= now ? Expired
        : key.Revoked is not null ? Retiring
        : Active;
}
