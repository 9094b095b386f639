namespace Gateway.Proxy.Security.Authentication;

/// <summary>
/// What an access token says about itself before any of it is trusted: enough to refuse it early with a precise
/// reason (algorithm, header rule, token type, missing claim) and to know which key it needs.
/// </summary>
/// <param name="TokenType">The header's <c>typ</c> as sent, or null when absent.</param>
/// <param name="HeaderViolation">Why the JOSE header itself is unacceptable (duplicate or critical parameters), or null.</param>
public readonly record struct JwtShape(string? Algorithm, string? KeyId, string? MissingClaim, string? TokenType = null, string? HeaderViolation = null);
