using Gateway.Proxy.Hosting;

namespace Gateway.Tests.Hosting;

public sealed class EnvironmentVariableAliasesTests
{
    [TestCase(null, null, null)]
    [TestCase("0.0.0.0", "9000", "http://0.0.0.0:9000")]
    [TestCase(null, "9000", "http://127.0.0.1:9000")]
    [TestCase("0.0.0.0", null, "http://0.0.0.0:8087")]
    [TestCase("::", "8087", "http://[::]:8087")]
    [TestCase("*", "80", "http://*:80")]
    public void ListenUrl_ComposesHostAndPort(string? host, string? port, string? expected)
    {
        Assert.That(EnvironmentVariableAliases.ListenUrl(host, port), Is.EqualTo(expected));
    }

    [TestCase("http")]
    [TestCase("0")]
    [TestCase("70000")]
    public void ListenUrl_BadPort_SaysWhatToSet(string port)
    {
        var error = Assert.Throws<StartupConfigurationException>(() => EnvironmentVariableAliases.ListenUrl(null, port));

        Assert.That(error!.Message, Does.Contain("MCP_GATEWAY_PORT").And.Contain(port).And.Contain("1 to 65535"));
    }

    [TestCase("MCP_GATEWAY_PATH_BASE", "Gateway:Ingress:PathBase")]
    [TestCase("MCP_GATEWAY_DRAIN_TIMEOUT", "Gateway:Resilience:DrainTimeout")]
    [TestCase("MCP_GATEWAY_PRESTOP_DELAY", "Gateway:Resilience:PreStopDelay")]
    public void Map_CoversTheResilienceSettings(string variable, string key)
    {
        Assert.That(EnvironmentVariableAliases.Map[variable], Is.EqualTo(key));
    }
}
