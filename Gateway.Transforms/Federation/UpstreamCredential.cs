namespace Gateway.Transforms.Federation;

/// <summary>
/// Where the upstream credential comes from: an environment variable or a file (read when a session starts, so a
/// rotated file applies to the next session). routes.json never holds the secret itself.
/// </summary>
public sealed record UpstreamCredential(UpstreamCredentialType Type, string? FromEnvironment, string? FromFile, string? Header)
{
    public static readonly UpstreamCredential None = new(UpstreamCredentialType.None, null, null, null);

    /// <summary>For <see cref="UpstreamCredentialType.OAuthClientCredentials"/>: the grant (the secret is the client secret).</summary>
    public OAuthClientCredentialsGrant? OAuth { get; init; }
}

/// <summary>
/// The OAuth 2 client credentials grant an upstream's access token is requested with: the token endpoint (https, or
/// http on a loopback address), the client id, and the optional <c>scope</c>, <c>resource</c> (RFC 8707) and
/// <c>audience</c> parameters.
/// </summary>
public sealed record OAuthClientCredentialsGrant(Uri TokenEndpoint, string ClientId, string? Scope, Uri? Resource, string? Audience);
