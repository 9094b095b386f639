namespace Gateway.Proxy.Security.Authentication;

/// <summary>Why a request carried no valid credential; set on the HttpContext's features by the authentication handlers.</summary>
/// <param name="Reason">One of <see cref="AuthFailureReasons"/>; the metric label.</param>
/// <param name="Description">Safe to show the caller: it never echoes the credential.</param>
public sealed record AuthFailure(string Reason, string Description)
{
    /// <summary>True when the client presented a credential (RFC 6750: then the challenge says <c>invalid_token</c>).</summary>
    public bool CredentialPresented => Reason is not AuthFailureReasons.Missing and not AuthFailureReasons.QueryToken;
}
