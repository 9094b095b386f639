namespace Gateway.Transforms.Federation;

/// <summary>The credential the gateway presents to an upstream (never the caller's own).</summary>
public enum UpstreamCredentialType
{
    None,

    /// <summary><c>Authorization: Bearer &lt;secret&gt;</c>.</summary>
    Bearer,

    /// <summary>The secret as the value of a named header (e.g. <c>X-Api-Key</c>).</summary>
    ApiKeyHeader,

    /// <summary>
    /// <c>Authorization: Bearer &lt;access token&gt;</c>, the token obtained with the OAuth 2 client credentials grant
    /// (RFC 6749 section 4.4); the secret is the client secret.
    /// </summary>
    OAuthClientCredentials,
}
