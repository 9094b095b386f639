using System.Net;
using System.Text.Json.Nodes;
using Gateway.Proxy.Hosting;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Hosting;

/// <summary>
/// Gateway:Management:Port: a second Kestrel listener on the main host; /metrics and /status/* only there (404 on the
/// main port), /health and /ready on both, nothing else on the management port. Decided by the connection's local
/// port, never by the Host header.
/// </summary>
public sealed class ManagementPortTests
{
    private static readonly string Routes = new RoutesJson().Cluster("echo", new Uri("http://127.0.0.1:9/")).ToString();

    private SecuredGateway _env = null!;
    private int _port;
    private HttpClient _management = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _port = FreePort.Next();
        _env = await SecuredGateway.StartAsync(new Dictionary<string, string?> { ["Gateway:Management:Port"] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        _management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_port}/") };
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _management.Dispose();
        await _env.DisposeAsync();
    }

    [TestCase("metrics", "mcp_gateway_build_info")]
    [TestCase("status/servers", "premium_echo")]
    [TestCase("status/servers/echo", "destinations")]
    [TestCase("status/metrics", "clusters")]
    [TestCase("status/health", "detail")]
    [TestCase("ready", "detail")]
    [TestCase("health", "version")]
    public async Task ManagementPort_ServesOperatorViewsWithoutCredential(string path, string content)
    {
        using var response = await _management.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain(content));
    }

    [TestCase("metrics")]
    [TestCase("Metrics/")]
    [TestCase("status/servers")]
    [TestCase("status/servers/echo")]
    [TestCase("status/metrics")]
    [TestCase("status/health")]
    public async Task MainPort_OperatorEndpoint_Is404EvenForAnOperator(string path)
    {
        using var anonymous = await _env.Http.GetAsync(path);
        using var withRole = await _env.Http.SendAsync(_env.Request(HttpMethod.Get, path, _env.OperatorToken()));
        using var spoofedHost = new HttpRequestMessage(HttpMethod.Get, path);
        spoofedHost.Headers.Host = $"127.0.0.1:{_port}";
        using var withSpoofedHost = await _env.Http.SendAsync(spoofedHost);

        Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(withRole.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(withSpoofedHost.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "the Host header does not select the listener");
        Assert.That(await anonymous.Content.ReadAsStringAsync(), Is.Empty);
    }

    [TestCase("health")]
    [TestCase("ready")]
    public async Task MainPort_Probe_AnswersWithoutDetail(string path)
    {
        using var response = await _env.Http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(text, Does.Not.Contain("detail").And.Not.Contain("version"));
    }

    [TestCase("mcp")]
    [TestCase("tools")]
    [TestCase("api/open/x")]
    [TestCase(".well-known/oauth-protected-resource")]
    [TestCase("no/such/path")]
    public async Task ManagementPort_AnythingElse_Is404(string path)
    {
        using var response = await _management.SendAsync(_env.Request(HttpMethod.Get, path, _env.Token()));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task AuthOff_WithManagementPort_OperatorEndpointsLeaveTheMainPort()
    {
        var port = FreePort.Next();
        await using var gateway = await TestGateway.StartAsync(Routes, new Dictionary<string, string?> { ["Gateway:Management:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        using var main = new HttpClient { BaseAddress = gateway.Address };
        using var management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

        Assert.That((await main.GetAsync("metrics")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await main.GetAsync("status/servers")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await management.GetAsync("metrics")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await main.GetAsync("health")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await management.GetAsync("ready")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("0")]
    [TestCase("65536")]
    [TestCase("-1")]
    public async Task Port_OutOfRange_StopsStartupNamingTheSetting(string port)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
            await (await TestGateway.StartAsync(Routes, new Dictionary<string, string?> { ["Gateway:Management:Port"] = port })).DisposeAsync());

        Assert.That(error!.Message, Does.Contain("Gateway:Management:Port").And.Contain("MCP_GATEWAY_MANAGEMENT_PORT"));
    }

    [Test]
    public async Task Port_SameAsTheMainPort_StopsStartup()
    {
        var port = FreePort.Next();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () => await (await TestGateway.StartAsync(Routes,
            new Dictionary<string, string?> { ["Gateway:Management:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            builder => builder.WebHost.UseUrls($"http://127.0.0.1:{port}"))).DisposeAsync());

        Assert.That(error!.Message, Does.Contain("already uses"));
    }

    [TestCase("http://0.0.0.0:8087", "http://0.0.0.0:9090")]
    [TestCase("http://127.0.0.1:8087;http://[::1]:8087", "http://127.0.0.1:9090;http://[::1]:9090")]
    [TestCase("http://*:8087;http://+:8088", "http://*:9090;http://+:9090")]
    [TestCase("https://localhost:8443", "https://localhost:9090")]
    [TestCase("http://127.0.0.1:0;http://127.0.0.1:8087", "http://127.0.0.1:9090")]
    public void Urls_UseEveryMainHostOnTheManagementPort(string main, string expected)
    {
        var listener = new ManagementListener(9090, main.Split(';'));

        Assert.That(listener.Urls, Is.EqualTo(expected.Split(';')));
    }

    [Test]
    public void EnvironmentVariable_MapsOntoTheSetting()
    {
        Assert.That(EnvironmentVariableAliases.Map["MCP_GATEWAY_MANAGEMENT_PORT"], Is.EqualTo("Gateway:Management:Port"));
    }
}
