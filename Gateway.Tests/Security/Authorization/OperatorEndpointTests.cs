using System.Net;
using System.Text.Json.Nodes;
using Gateway.Proxy.Security;

namespace Gateway.Tests.Security.Authorization;

/// <summary>
/// With auth on and no management port, /metrics and /status/* need the operator role or scope (401 anonymous, 403
/// without it), and anonymous /health and /ready tell the status and nothing else.
/// </summary>
public sealed class OperatorEndpointTests
{
    private static readonly string[] s_operatorPaths =
    [
        "metrics", "METRICS", "metrics/", "status/servers", "Status/Servers/", "status/servers/echo", "status/servers/nope",
        "status/metrics", "status/health", "metrics?x=1",
    ];

    private SecuredGateway _env = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _env = await SecuredGateway.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _env.DisposeAsync();

    [TestCaseSource(nameof(s_operatorPaths))]
    public async Task OperatorEndpoint_Anonymous_Is401(string path)
    {
        using var response = await _env.Http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), body);
        Assert.That(body, Does.Not.Contain("premium_echo").And.Not.Contain("127.0.0.1").And.Not.Contain("mcp_"));
    }

    [TestCaseSource(nameof(s_operatorPaths))]
    public async Task OperatorEndpoint_AuthenticatedWithoutOperatorRole_Is403(string path)
    {
        var token = _env.Token(c => c["roles"] = new JsonArray("admin", "operator", "MCP-GATEWAY-OPERATOR"), scope: "tools:call mcp-gateway:operate:x");

        using var response = await _env.Http.SendAsync(_env.Request(HttpMethod.Get, path, token));
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), body);
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.Contain("insufficient_scope").And.Contain($"scope=\"{SecurityOptions.DefaultOperatorScope}\""));
        Assert.That(body, Does.Not.Contain("premium_echo").And.Not.Contain(_env.Echo.Address.Authority));
    }

    [TestCase("metrics", "mcp_gateway_build_info")]
    [TestCase("status/servers", "premium_echo")]
    [TestCase("status/servers/echo", "premium_echo")]
    [TestCase("status/metrics", "clusters")]
    [TestCase("status/health", "detail")]
    public async Task OperatorEndpoint_WithOperatorRole_IsServed(string path, string content)
    {
        using var response = await _env.Http.SendAsync(_env.Request(HttpMethod.Get, path, _env.OperatorToken()));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain(content));
    }

    [Test]
    public async Task OperatorEndpoint_WithOperatorScope_IsServed()
    {
        var token = _env.Token(scope: "tools:read " + SecurityOptions.DefaultOperatorScope);

        using var response = await _env.Http.SendAsync(_env.Request(HttpMethod.Get, "status/servers", token));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task OperatorEndpoint_WithApiKeyCarryingTheOperatorRole_IsServed()
    {
        var key = await _env.CreateApiKeyAsync("--subject", "prometheus", "--tier", "free", "--roles", SecurityOptions.DefaultOperatorRole);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        HttpStatusCode status;
        do
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "metrics");
            request.Headers.Add("X-API-Key", key);
            using var response = await _env.Http.SendAsync(request);
            status = response.StatusCode;
            if (status == HttpStatusCode.OK)
            {
                break;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("health")]
    [TestCase("ready")]
    public async Task Probe_Anonymous_ShowsOnlyStatusAndCheckStates(string path)
    {
        using var response = await _env.Http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        var body = JsonNode.Parse(text)!.AsObject();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body.Select(p => p.Key), Is.SubsetOf(new[] { "service", "status", "checks" }), text);
        Assert.That(text, Does.Not.Contain("detail").And.Not.Contain("audit.jsonl").And.Not.Contain("version").And.Not.Contain("127.0.0.1"));
        foreach (var (_, check) in body["checks"]?.AsObject() ?? [])
        {
            Assert.That(check!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "status" }), text);
        }
    }

    [Test]
    public async Task Probe_AuthenticatedWithoutOperatorRole_ShowsNoDetail()
    {
        using var response = await _env.Http.SendAsync(_env.Request(HttpMethod.Get, "ready", _env.Token()));

        Assert.That(await response.Content.ReadAsStringAsync(), Does.Not.Contain("detail"));
    }

    [Test]
    public async Task Probe_WithOperatorRole_ShowsDetailAndVersion()
    {
        using var ready = await _env.Http.SendAsync(_env.Request(HttpMethod.Get, "ready", _env.OperatorToken()));
        using var health = await _env.Http.SendAsync(_env.Request(HttpMethod.Get, "health", _env.OperatorToken()));

        Assert.That(await ready.Content.ReadAsStringAsync(), Does.Contain("detail"));
        Assert.That(JsonNode.Parse(await health.Content.ReadAsStringAsync())!["version"], Is.Not.Null);
    }

    [TestCase("/metrics")]
    [TestCase("/status/")]
    [TestCase("/status/servers")]
    [TestCase("/")]
    [TestCase("/METRICS")]
    public void AnonymousPaths_CoveringAnOperatorEndpoint_FailValidation(string entry)
    {
        var options = new SecurityOptions { Enabled = true, AnonymousPaths = ["/health", entry] };

        var result = new SecurityOptionsValidator(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build()).Validate(null, options);

        Assert.That(result.FailureMessage, Does.Contain("Gateway:Auth:AnonymousPaths").And.Contain("operator endpoint"));
    }

    [Test]
    public void OperatorRoleAndScopeBothEmpty_WithoutManagementPort_FailValidation()
    {
        var options = new SecurityOptions { Enabled = true, OperatorRole = "", OperatorScope = null };

        var result = new SecurityOptionsValidator(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build()).Validate(null, options);

        Assert.That(result.FailureMessage, Does.Contain("Gateway:Auth:OperatorRole").And.Contain("Gateway:Management:Port"));
    }

    [TestCase("has space")]
    [TestCase("a,b")]
    [TestCase("quo\"te")]
    public void OperatorRole_NotARoleName_FailsValidation(string role)
    {
        var result = new SecurityOptionsValidator(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build())
            .Validate(null, new SecurityOptions { OperatorRole = role });

        Assert.That(result.FailureMessage, Does.Contain("Gateway:Auth:OperatorRole"));
    }
}
