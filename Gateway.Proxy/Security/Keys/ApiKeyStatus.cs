namespace Gateway.Proxy.Security.Keys;

public enum ApiKeyStatus
{
    Valid,

    /// <summary>Not shaped like a key, no such id, or the secret does not match.</summary>
    Invalid,

    Expired,

    Revoked,
}
