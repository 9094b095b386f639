namespace Gateway.Proxy.Security.Authorization;

public enum AccessOutcome
{
    Allowed,

    /// <summary>No credential: the answer is 401.</summary>
    Unauthenticated,

    /// <summary>A credential that does not meet the route's requirement: the answer is 403 (or "unknown tool").</summary>
    Denied,
}

/// <summary>An access decision and, when denied, why (for the log; never shown to the caller beyond the required scopes).</summary>
public readonly record struct AccessDecision(AccessOutcome Outcome, string? Reason = null)
{
    public static readonly AccessDecision Allow = new(AccessOutcome.Allowed);

    public static readonly AccessDecision Unauthenticated = new(AccessOutcome.Unauthenticated, "not authenticated");

    public bool IsAllowed => Outcome == AccessOutcome.Allowed;

    public static AccessDecision Deny(string reason) => new(AccessOutcome.Denied, reason);
}
