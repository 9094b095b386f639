using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Security.Tls;

/// <summary>MCP_GATEWAY_TLS_* makes Kestrel serve HTTPS from PEM files; a client that trusts the certificate connects.</summary>
public sealed class TlsTests
{
    private string _directory = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = Path.Combine(Path.GetTempPath(), "gateway-tests", "tls-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task TlsEnabled_ServesHttpsWithTheConfiguredCertificate()
    {
        using var certificate = CreateCertificate();
        var (certPath, keyPath) = await WritePemAsync(certificate);
        await using var gateway = await TestGateway.StartAsync(Routes(), new Dictionary<string, string?>
        {
            ["Gateway:Tls:Enabled"] = "true",
            ["Gateway:Tls:CertPath"] = certPath,
            ["Gateway:Tls:KeyPath"] = keyPath,
        });
        X509Certificate2? presented = null;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) =>
            {
                presented = cert is null ? null : new X509Certificate2(cert);
                return cert?.Thumbprint == certificate.Thumbprint;
            },
        };
        using var http = new HttpClient(handler) { BaseAddress = gateway.Address };

        using var response = await http.GetAsync("health");

        Assert.That(gateway.Address.Scheme, Is.EqualTo("https"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(presented?.Thumbprint, Is.EqualTo(certificate.Thumbprint));
    }

    [Test]
    public async Task TlsEnabled_PlainHttpClient_CannotTalkToIt()
    {
        using var certificate = CreateCertificate();
        var (certPath, keyPath) = await WritePemAsync(certificate);
        await using var gateway = await TestGateway.StartAsync(Routes(), new Dictionary<string, string?>
        {
            ["Gateway:Tls:Enabled"] = "true",
            ["Gateway:Tls:CertPath"] = certPath,
            ["Gateway:Tls:KeyPath"] = keyPath,
        });
        using var http = new HttpClient();

        Assert.That(async () => await http.GetAsync(new Uri(gateway.Address, "health")), Throws.InstanceOf<HttpRequestException>(), "certificate not trusted");
        Assert.That(async () => await http.GetAsync(new UriBuilder(gateway.Address) { Scheme = "http" }.Uri + "health"), Throws.InstanceOf<HttpRequestException>());
    }

    [Test]
    public async Task TlsEnabled_MissingFiles_RefusesToStartNamingTheSetting()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestGateway.StartAsync(Routes(), new Dictionary<string, string?>
        {
            ["Gateway:Tls:Enabled"] = "true",
            ["Gateway:Tls:CertPath"] = Path.Combine(_directory, "missing.crt"),
        }));

        Assert.That(error!.Message, Does.Contain("MCP_GATEWAY_TLS_CERT_PATH").And.Contain("MCP_GATEWAY_TLS_KEY_PATH"));
    }

    private static string Routes() => new RoutesJson().Cluster("c", new Uri("http://127.0.0.1:9/")).Tool("t", "c", "POST /x").ToString();

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    private async Task<(string CertPath, string KeyPath)> WritePemAsync(X509Certificate2 certificate)
    {
        var certPath = Path.Combine(_directory, "tls.crt");
        var keyPath = Path.Combine(_directory, "tls.key");
        await File.WriteAllTextAsync(certPath, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        return (certPath, keyPath);
    }
}
