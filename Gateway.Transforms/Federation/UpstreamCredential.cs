namespace Gateway.Transforms.Federation;

/// <summary>
/// Where the upstream credential comes from: an environment variable or a file (read when a session starts, so a
/// rotated file applies to the next session). routes.json never holds the secret itself.
/// </summary>
public sealed record UpstreamCredential(UpstreamCredentialType Type, string? FromEnvironment, string? FromFile, string? Header)
{
    public static readonly UpstreamCredential None = new(UpstreamCredentialType.None, null, null, null);
}
