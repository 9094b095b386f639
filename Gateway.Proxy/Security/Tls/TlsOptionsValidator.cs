using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Security.Tls;

public sealed class TlsOptionsValidator : IValidateOptions<TlsOptions>
{
    public ValidateOptionsResult Validate(string? name, TlsOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.CertPath) || !File.Exists(options.CertPath))
        {
            failures.Add($"Gateway:Tls:CertPath (MCP_GATEWAY_TLS_CERT_PATH) must name an existing PEM certificate file; got '{options.CertPath}'.");
        }

        if (string.IsNullOrWhiteSpace(options.KeyPath) || !File.Exists(options.KeyPath))
        {
            failures.Add($"Gateway:Tls:KeyPath (MCP_GATEWAY_TLS_KEY_PATH) must name an existing PEM private key file; got '{options.KeyPath}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
