namespace Gateway.Proxy.Security.Authentication;

/// <summary>The bounded set of <c>reason</c> labels of <c>mcp_auth_failures_total</c>.</summary>
public static class AuthFailureReasons
{
    public const string Missing = "missing";
    public const string InvalidToken = "invalid_token";
    public const string Expired = "expired";
    public const string InvalidSignature = "invalid_signature";
    public const string InvalidAudience = "invalid_audience";
    public const string InvalidIssuer = "invalid_issuer";
    public const string Algorithm = "algorithm";
    public const string TokenType = "token_type";
    public const string MissingClaim = "missing_claim";
    public const string UnknownKey = "unknown_key";
    public const string QueryToken = "query_token";
    public const string ApiKeyInvalid = "api_key_invalid";
    public const string ApiKeyExpired = "api_key_expired";
    public const string ApiKeyRevoked = "api_key_revoked";
    public const string Forbidden = "forbidden";

    /// <summary>Every reason, for publishing each <c>mcp_auth_failures_total</c> series at 0 when auth is on.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Missing, InvalidToken, Expired, InvalidSignature, InvalidAudience, InvalidIssuer, Algorithm, TokenType, MissingClaim,
        UnknownKey, QueryToken, ApiKeyInvalid, ApiKeyExpired, ApiKeyRevoked, Forbidden,
    ];
}
