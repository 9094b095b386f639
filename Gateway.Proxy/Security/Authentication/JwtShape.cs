namespace Gateway.Proxy.Security.Authentication;

/// <summary>
/// What an access token says about itself before any of it is trusted: enough to refuse it early with a precise
/// reason (algorithm, missing claim) and to know which key it needs.
/// </summary>
public readonly record struct JwtShape(string? Algorithm, string? KeyId, string? MissingClaim);
