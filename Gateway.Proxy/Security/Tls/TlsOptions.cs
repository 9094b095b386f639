namespace Gateway.Proxy.Security.Tls;

/// <summary>HTTPS served by Kestrel from PEM files (section <c>Gateway:Tls</c>; e.g. a cert-manager Secret).</summary>
public sealed class TlsOptions
{
    public const string SectionName = "Gateway:Tls";

    /// <summary>When on, every address the gateway listens on serves HTTPS with this certificate.</summary>
    public bool Enabled { get; set; }

    /// <summary>PEM certificate (chain), e.g. <c>/etc/tls/tls.crt</c>.</summary>
    public string? CertPath { get; set; }

    /// <summary>PEM private key (unencrypted PKCS#8, PKCS#1 or SEC1), e.g. <c>/etc/tls/tls.key</c>.</summary>
    public string? KeyPath { get; set; }
}
