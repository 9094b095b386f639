using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Security.DnsRebinding;

/// <summary>
/// DNS rebinding with auth off: a page on attacker.example rebound to 127.0.0.1 sends its own Host (and, for
/// POSTs, its Origin). Every endpoint that acts for a caller refuses it, not only /mcp; the probes stay open.
/// </summary>
public sealed class DnsRebindingTests
{
    private TestBackend _backend = null!;
    private TestGateway _gateway = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _backend = await TestBackend.StartEchoAsync();
        _gateway = await TestGateway.StartAsync(RoutesFor(_backend.Address));
        _http = new HttpClient { BaseAddress = _gateway.Address };
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _gateway.DisposeAsync();
        await _backend.DisposeAsync();
    }

    public static IEnumerable<TestCaseData> Endpoints()
    {
        yield return new TestCaseData("GET", "tools", null).SetArgDisplayNames("GET /tools");
        yield return new TestCaseData("POST", "tools/call", """{"tool":"echo_tool","arguments":{}}""").SetArgDisplayNames("POST /tools/call");
        yield return new TestCaseData("GET", "api/items", null).SetArgDisplayNames("GET passthrough");
        yield return new TestCaseData("POST", "api/items", """{"a":1}""").SetArgDisplayNames("POST passthrough");
        yield return new TestCaseData("POST", "mcp", McpHttp.Request(1, "tools/list")).SetArgDisplayNames("POST /mcp");
        yield return new TestCaseData("GET", "sse", null).SetArgDisplayNames("GET /sse");
        yield return new TestCaseData("POST", "messages?sessionId=x", McpHttp.Request(1, "tools/list")).SetArgDisplayNames("POST /messages");
        yield return new TestCaseData("GET", "metrics", null).SetArgDisplayNames("GET /metrics");
        yield return new TestCaseData("GET", "status/servers", null).SetArgDisplayNames("GET /status/servers");
        yield return new TestCaseData("GET", "no/such/path", null).SetArgDisplayNames("unknown path");
    }

    [TestCaseSource(nameof(Endpoints))]
    public async Task ForeignHost_IsRefusedOnEveryEndpoint(string method, string path, string? body)
    {
        using var response = await SendAsync(method, path, body, host: "attacker.example");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var message = (string?)(error["error"] is JsonObject rpc ? rpc["message"] : error["message"]);
        Assert.That(message, Does.Contain("Host"));
    }

    [TestCaseSource(nameof(Endpoints))]
    public async Task ForeignOrigin_IsRefusedOnEveryEndpoint(string method, string path, string? body)
    {
        using var response = await SendAsync(method, path, body, origin: "http://attacker.example:8087");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("Origin"));
    }

    [TestCase("attacker.example")]
    [TestCase("attacker.example:8087")]
    [TestCase("ATTACKER.example")]
    [TestCase("evil.localhost")]
    [TestCase("localhost.attacker.example")]
    [TestCase("localhost.")]
    [TestCase("127.0.0.1.nip.io")]
    [TestCase("127.0.0.1.")]
    [TestCase("10.0.0.5")]
    [TestCase("[fe80::1]:8087")]
    [TestCase("0.0.0.0")]
    public async Task HostVariants_ThatAreNotLoopback_AreRefused(string host)
    {
        using var response = await SendAsync("GET", "tools", null, host: host);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [TestCase("localhost")]
    [TestCase("LOCALHOST:8087")]
    [TestCase("127.0.0.1")]
    [TestCase("127.0.0.1:9")]
    [TestCase("127.1.2.3")]
    [TestCase("[::1]")]
    [TestCase("[::1]:8087")]
    public async Task LoopbackHostVariants_AreServed(string host)
    {
        using var response = await SendAsync("GET", "tools", null, host: host);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("null")]
    [TestCase("http://attacker.example")]
    [TestCase("http://localhost.:8087")]
    [TestCase("http://localhost.attacker.example")]
    [TestCase("http://127.0.0.1.nip.io")]
    [TestCase("http://localhost:8087/path")]
    [TestCase("http://user@localhost:8087")]
    [TestCase("file://localhost")]
    [TestCase("http://localhost:8087, http://attacker.example")]
    [TestCase("http://[::2]:8087")]
    public async Task OriginVariants_ThatAreNotAllowed_AreRefused(string origin)
    {
        using var response = await SendAsync("POST", "tools/call", """{"tool":"echo_tool","arguments":{}}""", origin: origin);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [TestCase("http://localhost:6274")]
    [TestCase("HTTP://LOCALHOST:6274")]
    [TestCase("https://127.0.0.1:3000")]
    [TestCase("http://[::1]:6274")]
    public async Task AllowedOriginVariants_AreServed(string origin)
    {
        using var response = await SendAsync("POST", "tools/call", """{"tool":"echo_tool","arguments":{}}""", origin: origin);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task ForgedForwardedHost_DoesNotGetAForeignHostThrough()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "tools");
        request.Headers.Host = "attacker.example";
        request.Headers.Add("X-Forwarded-Host", "localhost");

        using var response = await _http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [TestCase("health")]
    [TestCase("ready")]
    public async Task Probes_AreServedWhateverTheHost(string path)
    {
        using var response = await SendAsync("GET", path, null, host: "10.1.2.3:8087", origin: "http://attacker.example");

        Assert.That((int)response.StatusCode, Is.EqualTo(200).Or.EqualTo(503));
    }

    [Test]
    public async Task Http10RequestWithoutHost_IsRefused()
    {
        var (status, _) = await RawAsync("GET /tools HTTP/1.0\r\n\r\n");
        var (healthStatus, _) = await RawAsync("GET /health HTTP/1.0\r\n\r\n");

        Assert.That(status, Is.EqualTo(403));
        Assert.That(healthStatus, Is.EqualTo(200));
    }

    [Test]
    public async Task ConfiguredHost_IsServed_AndOthersStayRefused()
    {
        await using var gateway = await TestGateway.StartAsync(RoutesFor(_backend.Address),
            new Dictionary<string, string?> { ["Gateway:Mcp:AllowedHosts:0"] = "gw.example.com", ["Gateway:Mcp:AllowedHosts:1"] = "10.0.0.5" });
        using var http = new HttpClient { BaseAddress = gateway.Address };

        Assert.That(await StatusAsync(http, "gw.example.com:8443"), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await StatusAsync(http, "GW.EXAMPLE.COM"), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await StatusAsync(http, "10.0.0.5"), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await StatusAsync(http, "127.0.0.1"), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await StatusAsync(http, "other.example.com"), Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await StatusAsync(http, "sub.gw.example.com"), Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [TestCase("*")]
    [TestCase("gw.example.com:8443")]
    [TestCase("http://gw.example.com")]
    [TestCase("*.example.com")]
    [TestCase("gw.example.com.")]
    public async Task InvalidAllowedHostsEntry_StopsStartup(string entry)
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            TestGateway.StartAsync(RoutesFor(_backend.Address), new Dictionary<string, string?> { ["Gateway:Mcp:AllowedHosts:0"] = entry }));

        Assert.That(error!.Message, Does.Contain("Gateway:Mcp:AllowedHosts"));
    }

    private static string RoutesFor(Uri backend) => new RoutesJson()
        .Cluster("echo", backend)
        .Tool("echo_tool", "echo", "POST /echo")
        .Route("api", """{"ClusterId":"echo","Match":{"Path":"/api/{**rest}"}}""")
        .ToString();

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "tools");
        request.Headers.Host = host;
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string path, string? body, string? host = null, string? origin = null)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        if (origin is not null)
        {
            request.Headers.TryAddWithoutValidation("Origin", origin);
        }

        return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    private async Task<(int Status, string Text)> RawAsync(string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(_gateway.Address.Host, _gateway.Address.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var text = await reader.ReadToEndAsync(timeout.Token);
        return (int.Parse(text.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), text);
    }
}
