using Gateway.Proxy.Resilience;

namespace Gateway.Tests.Resilience;

public sealed class IngressOptionsValidatorTests
{
    [TestCase("")]
    [TestCase("/mcp-gateway")]
    [TestCase("/team/mcp")]
    public void Validate_GoodPathBase_Succeeds(string pathBase)
    {
        var result = new IngressOptionsValidator().Validate(null, new IngressOptions { PathBase = pathBase, KnownProxies = ["10.0.0.5", "::1"], KnownNetworks = ["10.0.0.0/8", "fd00::/8"] });

        Assert.That(result.Succeeded, Is.True, result.FailureMessage);
    }

    [TestCase("mcp-gateway")]
    [TestCase("/mcp-gateway/")]
    [TestCase("/mcp?x=1")]
    public void Validate_BadPathBase_FailsWithExample(string pathBase)
    {
        var result = new IngressOptionsValidator().Validate(null, new IngressOptions { PathBase = pathBase });

        Assert.That(result.FailureMessage, Does.Contain("Gateway:Ingress:PathBase").And.Contain("'/mcp-gateway'"));
    }

    [Test]
    public void Validate_BadAddresses_NameEachEntry()
    {
        var result = new IngressOptionsValidator().Validate(null, new IngressOptions { KnownProxies = ["proxy.local"], KnownNetworks = ["10.0.0.0/33"], ForwardLimit = 0 });

        Assert.That(result.FailureMessage, Does.Contain("'proxy.local'").And.Contain("'10.0.0.0/33'").And.Contain("ForwardLimit"));
    }
}
