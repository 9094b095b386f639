namespace Gateway.Transforms.Federation;

/// <summary>The credential the gateway presents to an upstream (never the caller's own).</summary>
public enum UpstreamCredentialType
{
    None,

    /// <summary><c>Authorization: Bearer &lt;secret&gt;</c>.</summary>
    Bearer,

    /// <summary>The secret as the value of a named header (e.g. <c>X-Api-Key</c>).</summary>
    ApiKeyHeader,
}
