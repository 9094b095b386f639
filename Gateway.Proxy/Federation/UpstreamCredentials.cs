using Gateway.Transforms.Federation;

namespace Gateway.Proxy.Federation;

/// <summary>Reads an upstream credential's secret (from its environment variable or file) into the header that carries it.</summary>
internal static class UpstreamCredentials
{
    /// <summary>The static credential's header; null for None and OAuthClientCredentials (whose header is its token source's).</summary>
    /// <exception cref="UpstreamUnavailableException">The secret is missing or unreadable.</exception>
    public static StaticUpstreamAuthorization? Header(UpstreamCredential credential, string server) => credential.Type switch
    {
        UpstreamCredentialType.Bearer => new StaticUpstreamAuthorization("Authorization", "Bearer " + ReadSecret(credential, server)),
        UpstreamCredentialType.ApiKeyHeader => new StaticUpstreamAuthorization(credential.Header!, ReadSecret(credential, server)),
        _ => null,
    };

    /// <exception cref="UpstreamUnavailableException">The secret is missing or unreadable.</exception>
    public static string ReadSecret(UpstreamCredential credential, string server)
    {
        string? secret;
        if (credential.FromEnvironment is { } variable)
        {
            secret = Environment.GetEnvironmentVariable(variable);
        }
        else
        {
            try
            {
                secret = File.ReadAllText(credential.FromFile!);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new UpstreamUnavailableException($"the credential file of upstream '{server}' cannot be read ({ex.Message})");
            }
        }

        secret = secret?.Trim();
        if (string.IsNullOrEmpty(secret) || secret.Any(char.IsControl))
        {
            throw new UpstreamUnavailableException($"the credential of upstream '{server}' is empty or not a single line");
        }

        return secret;
    }
}
