using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Redis.Connections;

/// <summary>Wraps a connected stream in TLS, validating against the system store, a supplied CA file, or a custom callback.</summary>
internal sealed class TlsStreamFactory
{
    private readonly RedisConnectionOptions _options;
    private readonly RemoteCertificateValidationCallback? _validation;

    public TlsStreamFactory(RedisConnectionOptions options)
    {
        _options = options;
        _validation = options.TlsCertificateValidation
            ?? (options.TlsCaCertificatePath is { } path ? TrustOnly(LoadCertificates(path)) : null);
    }

    public async Task<Stream> AuthenticateAsync(Stream inner, CancellationToken cancellationToken)
    {
        var tls = new SslStream(inner, leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = _options.Host,
                    RemoteCertificateValidationCallback = _validation,
                },
                cancellationToken).ConfigureAwait(false);
            return tls;
        }
        catch (AuthenticationException ex)
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw new RedisConnectionException(
                $"TLS handshake with Redis at {_options.Host}:{_options.Port} failed: {ex.Message} " +
                "Check the server certificate, or supply its CA with TlsCaCertificatePath.",
                ex);
        }
        catch
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static X509Certificate2Collection LoadCertificates(string path)
    {
        try
        {
            var certificates = new X509Certificate2Collection();
            if (File.ReadAllText(path).Contains("-----BEGIN", StringComparison.Ordinal))
            {
                certificates.ImportFromPemFile(path);
            }
            else
            {
                certificates.Add(X509CertificateLoader.LoadCertificateFromFile(path));
            }

            return certificates.Count > 0
                ? certificates
                : throw new ArgumentException($"The Redis CA certificate file '{path}' contains no certificate.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new ArgumentException($"Cannot load the Redis CA certificate file '{path}': {ex.Message}", ex);
        }
    }

    private static RemoteCertificateValidationCallback TrustOnly(X509Certificate2Collection roots) =>
        (_, certificate, _, errors) =>
        {
            // Chain errors are expected (the CA is not in the system store); name mismatches are not.
            if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
            return chain.Build(certificate as X509Certificate2 ?? new X509Certificate2(certificate));
        };
}
