using Gateway.Proxy.Security;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Security;

/// <summary>The start-up rules of Gateway:Auth, above all: auth may be off only on loopback addresses.</summary>
public sealed class SecurityOptionsValidatorTests
{
    [TestCase("http://127.0.0.1:8087")]
    [TestCase("http://localhost:8087")]
    [TestCase("http://[::1]:8087")]
    [TestCase("http://127.0.0.1:0;https://localhost:8443")]
    public void AuthOff_OnLoopbackOnly_IsAllowed(string urls)
    {
        var result = Validate(new SecurityOptions(), ("urls", urls));

        Assert.That(result.Succeeded, Is.True, result.FailureMessage);
    }

    [TestCase("http://0.0.0.0:8087", "http://0.0.0.0:8087")]
    [TestCase("http://*:8087", "http://*:8087")]
    [TestCase("http://+:8087", "http://+:8087")]
    [TestCase("http://[::]:8087", "http://[::]:8087")]
    [TestCase("http://10.0.0.5:8087", "http://10.0.0.5:8087")]
    [TestCase("http://gateway.internal:8087", "http://gateway.internal:8087")]
    [TestCase("http://127.0.0.1:8087;http://0.0.0.0:9090", "http://0.0.0.0:9090")]
    public void AuthOff_OnANetworkAddress_IsRefusedNamingTheAddressAndTheFix(string urls, string exposed)
    {
        var result = Validate(new SecurityOptions(), ("urls", urls));

        Assert.That(result.Failed, Is.True);
        Assert.That(result.FailureMessage, Does.Contain(exposed).And.Contain("MCP_GATEWAY_AUTH_ENABLED=true").And.Contain("AllowAnonymousInProduction"));
    }

    [Test]
    public void AuthOff_KestrelEndpointOnTheNetwork_IsRefused()
    {
        var result = Validate(new SecurityOptions(), ("urls", "http://127.0.0.1:8087"), ("Kestrel:Endpoints:Public:Url", "http://0.0.0.0:80"));

        Assert.That(result.FailureMessage, Does.Contain("http://0.0.0.0:80"));
    }

    [Test]
    public void AuthOff_HttpPortsWithoutUrls_IsRefused()
    {
        var result = Validate(new SecurityOptions(), ("http_ports", "8080"));

        Assert.That(result.FailureMessage, Does.Contain("http://*:8080"));
    }

    [Test]
    public void AuthOff_OnANetworkAddressWithTheOverride_IsAllowed()
    {
        var result = Validate(new SecurityOptions { AllowAnonymousInProduction = true }, ("urls", "http://0.0.0.0:8087"));

        Assert.That(result.Succeeded, Is.True);
    }

    [Test]
    public void AuthOn_OnANetworkAddress_IsAllowed()
    {
        var result = Validate(Enabled(), ("urls", "http://0.0.0.0:8087"));

        Assert.That(result.Succeeded, Is.True, result.FailureMessage);
    }

    public static IEnumerable<TestCaseData> BadSettings()
    {
        yield return Case("no way to authenticate", o => { o.Oidc.Issuer = null; o.ApiKeys.Enabled = false; }, "no credential is accepted");
        yield return Case("issuer not a URL", o => o.Oidc.Issuer = "login", "Gateway:Auth:Oidc:Issuer 'login' is not an absolute http(s) URL");
        yield return Case("remote issuer over http", o => o.Oidc.Issuer = "http://login.example.com", "uses http");
        yield return Case("JWKS over http", o => o.Oidc.JwksUrl = "http://login.example.com/jwks", "Gateway:Auth:Oidc:JwksUrl");
        yield return Case("no audience and no origin", o => { o.Oidc.Audience = null; o.PublicOrigin = null; }, "MCP_GATEWAY_OIDC_AUDIENCE");
        yield return Case("origin with a path", o => o.PublicOrigin = "https://gw.example.com/base", "Gateway:Auth:PublicOrigin");
        yield return Case("huge clock skew", o => o.Oidc.ClockSkew = TimeSpan.FromMinutes(10), "ClockSkew");
        yield return Case("duplicate tier", o => { o.Tiers.Add("free"); o.Tiers.Add("FREE"); }, "lists 'FREE' twice");
        yield return Case("tier with a space", o => o.Tiers.Add("gold plus"), "'gold plus' is not a tier name");
        yield return Case("bad API key header", o => o.ApiKeys.HeaderName = "X API Key", "HeaderName 'X API Key'");
        yield return Case("identity headers collide", o => o.IdentityHeaders.Tier = "X-Gateway-Subject", "used twice");
    }

    [TestCaseSource(nameof(BadSettings))]
    public void Enabled_WithBadSetting_FailsWithAnActionableMessage(Action<SecurityOptions> change, string expected)
    {
        var options = Enabled();
        change(options);

        var result = Validate(options, ("urls", "http://127.0.0.1:8087"));

        Assert.That(result.Failed, Is.True);
        Assert.That(result.FailureMessage, Does.Contain(expected));
    }

    [Test]
    public void RemoteHttpIssuer_WithRequireHttpsMetadataOff_IsAllowed()
    {
        var options = Enabled();
        options.Oidc.Issuer = "http://keycloak.test:8080/realms/mcp";
        options.Oidc.RequireHttpsMetadata = false;

        Assert.That(Validate(options, ("urls", "http://127.0.0.1:8087")).Succeeded, Is.True);
    }

    [Test]
    public async Task GatewayStart_AuthOffOnANetworkAddress_IsRefused()
    {
        var routes = new RoutesJson().Cluster("c", new Uri("http://127.0.0.1:9/")).Tool("t", "c", "POST /x").ToString();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            TestGateway.StartAsync(routes, configure: builder => builder.WebHost.UseUrls("http://0.0.0.0:0")));

        Assert.That(error!.Message, Does.Contain("Authentication is off").And.Contain("http://0.0.0.0:0"));
    }

    private static SecurityOptions Enabled() => new()
    {
        Enabled = true,
        PublicOrigin = "https://gw.example.com",
        Oidc = new OidcOptions { Issuer = "https://login.example.com/realms/mcp", Audience = "https://gw.example.com/mcp" },
    };

    private static ValidateOptionsResult Validate(SecurityOptions options, params (string Key, string Value)[] configuration)
    {
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(configuration.Select(c => KeyValuePair.Create(c.Key, (string?)c.Value)))
            .Build();
        return new SecurityOptionsValidator(config).Validate(null, options);
    }

    private static TestCaseData Case(string name, Action<SecurityOptions> change, string expected) =>
        new TestCaseData(change, expected).SetArgDisplayNames(name);
}
