using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;

namespace Gateway.Tests.Security.Forwarding;

/// <summary>
/// The echo backend shows what leaves the gateway: never the client's credentials, always the verified identity,
/// and identity headers a client forged are replaced.
/// </summary>
public sealed class NoTokenPassthroughTests
{
    private static readonly string[] s_credentialHeaders = ["authorization", "cookie", "x-api-key", "proxy-authorization"];

    private SecuredGateway _env = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _env = await SecuredGateway.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _env.DisposeAsync();

    [Test]
    public async Task PassthroughRoute_WithBearerToken_BackendGetsIdentityNotCredentials()
    {
        using var request = _env.Request(HttpMethod.Get, "api/open/whoami", _env.Token(subject: "alice", tier: "premium", tenant: "acme"));
        AddForgeries(request.Headers);

        var headers = await EchoedHeadersAsync(request);

        Assert.That(headers.Select(h => h.Key), Has.None.AnyOf(s_credentialHeaders));
        Assert.That((string?)headers["x-gateway-subject"], Is.EqualTo("alice"));
        Assert.That((string?)headers["x-gateway-tenant"], Is.EqualTo("acme"));
        Assert.That((string?)headers["x-gateway-tier"], Is.EqualTo("premium"));
        Assert.That((string?)headers["x-request-id"], Is.Not.Empty);
    }

    [Test]
    public async Task PassthroughRoute_WithApiKey_BackendGetsTheKeysIdentityNotTheKey()
    {
        var key = await _env.CreateApiKeyAsync("--subject", "svc-ci", "--tier", "standard", "--tenant", "globex");
        JsonObject? headers = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (headers is null && DateTime.UtcNow < deadline)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/open/whoami");
            request.Headers.Add("X-API-Key", key);
            AddForgeries(request.Headers);
            using var response = await _env.Http.SendAsync(request);
            if (response.IsSuccessStatusCode)
            {
                headers = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["headers"]!.AsObject();
            }
            else
            {
                await Task.Delay(100);
            }
        }

        Assert.That(headers, Is.Not.Null, "the key was never accepted");
        Assert.That(headers!.Select(h => h.Key), Has.None.AnyOf(s_credentialHeaders));
        Assert.That(headers.ToJsonString(), Does.Not.Contain(key));
        Assert.That((string?)headers["x-gateway-subject"], Is.EqualTo("svc-ci"));
        Assert.That((string?)headers["x-gateway-tenant"], Is.EqualTo("globex"));
        Assert.That((string?)headers["x-gateway-tier"], Is.EqualTo("standard"));
    }

    [Test]
    public async Task ClientRequestId_IsKept()
    {
        using var request = _env.Request(HttpMethod.Get, "api/open/x", _env.Token());
        request.Headers.Add("X-Request-ID", "client-chosen-id");

        var headers = await EchoedHeadersAsync(request);

        Assert.That((string?)headers["x-request-id"], Is.EqualTo("client-chosen-id"));
    }

    [Test]
    public async Task ToolCall_OverMcp_BackendGetsIdentityNotCredentials()
    {
        await using var client = await _env.ConnectAsync(new Dictionary<string, string>
        {
            ["Authorization"] = "Bearer " + _env.Token(subject: "bob", tier: "free", tenant: "acme"),
            ["Cookie"] = "session=secret-cookie",
            ["X-Gateway-Subject"] = "root",
        });

        var result = await client.CallToolAsync("open_echo", new Dictionary<string, object?>());

        var echo = JsonNode.Parse(((TextContentBlock)result.Content[0]).Text)!;
        var headers = echo["headers"]!.AsObject();
        Assert.That(headers.Select(h => h.Key), Has.None.AnyOf(s_credentialHeaders));
        Assert.That((string?)headers["x-gateway-subject"], Is.EqualTo("bob"));
        Assert.That((string?)headers["x-gateway-tier"], Is.EqualTo("free"));
        Assert.That(echo.ToJsonString(), Does.Not.Contain("secret-cookie").And.Not.Contain("root"));
    }

    [Test]
    public async Task NonAsciiSubject_IsPercentEncoded()
    {
        using var request = _env.Request(HttpMethod.Get, "api/open/x", _env.Token(subject: "zoë"));

        var headers = await EchoedHeadersAsync(request);

        Assert.That((string?)headers["x-gateway-subject"], Is.EqualTo("zo%C3%AB"));
    }

    private static void AddForgeries(HttpRequestHeaders headers)
    {
        headers.Add("Cookie", "session=secret-cookie");
        headers.TryAddWithoutValidation("Proxy-Authorization", "Basic c2VjcmV0");
        headers.Add("X-Gateway-Subject", "root");
        headers.Add("X-Gateway-Tenant", "everyone");
        headers.Add("X-Gateway-Tier", "enterprise");
    }

    private async Task<JsonObject> EchoedHeadersAsync(HttpRequestMessage request)
    {
        using var response = await _env.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.IsSuccessStatusCode, Is.True, body);
        return JsonNode.Parse(body)!["headers"]!.AsObject();
    }
}
