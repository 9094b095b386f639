using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Security.Tls;

/// <summary>
/// Turns on HTTPS for every Kestrel endpoint (whether bound by URL or in code) when <c>Gateway:Tls:Enabled</c> is set,
/// so <c>MCP_GATEWAY_TLS_ENABLED=true</c> plus the two PEM paths is all an operator needs.
/// </summary>
public sealed class KestrelTlsSetup : IConfigureOptions<KestrelServerOptions>
{
    private readonly TlsOptions _options;

    public KestrelTlsSetup(IOptions<TlsOptions> options) => _options = options.Value;

    public void Configure(KestrelServerOptions options)
    {
        if (!_options.Enabled)
        {
            return;
        }

        var certificate = Load(_options.CertPath!, _options.KeyPath!);
        options.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate);
        options.ConfigureEndpointDefaults(endpoint => endpoint.UseHttps(certificate));
    }

    public static X509Certificate2 Load(string certPath, string keyPath)
    {
        try
        {
            var certificate = X509Certificate2.CreateFromPemFile(certPath, keyPath);

            // Windows' TLS stack cannot use a key that only lives in memory; a PKCS#12 round trip persists it.
            return OperatingSystem.IsWindows()
                ? X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null)
                : certificate;
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"Cannot load the TLS certificate from '{certPath}' and key from '{keyPath}' (Gateway:Tls): {ex.Message}. " +
                "Both must be PEM files and the key must be unencrypted and match the certificate.", ex);
        }
    }
}
