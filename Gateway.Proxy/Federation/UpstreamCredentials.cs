using Gateway.Transforms.Federation;

namespace Gateway.Proxy.Federation;

/// <summary>Reads an upstream credential's secret (from its environment variable or file) into the header that carries it.</summary>
internal static class UpstreamCredentials
{
    /// <exception cref="UpstreamUnavailableException">The secret is missing or unreadable.</exception>
    public static KeyValuePair<string, string>? Header(UpstreamCredential credential, string server)
    {
        if (credential.Type == UpstreamCredentialType.None)
        {
            return null;
        }

        var secret = Read(credential, server);
        return credential.Type == UpstreamCredentialType.Bearer
            ? KeyValuePair.Create("Authorization", "Bearer " + secret)
            : KeyValuePair.Create(credential.Header!, secret);
    }

    private static string Read(UpstreamCredential credential, string server)
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
