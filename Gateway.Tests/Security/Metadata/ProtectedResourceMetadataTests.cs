using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Security.Metadata;

/// <summary>RFC 9728 metadata as the MCP authorization spec requires, built from the configured public origin.</summary>
public sealed class ProtectedResourceMetadataTests
{
    private SecuredGateway _env = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _env = await SecuredGateway.StartAsync(new Dictionary<string, string?>
    {
        ["Gateway:Auth:ScopesSupported:0"] = "tools:read",
    });

    [OneTimeTearDown]
    public async Task StopAsync() => await _env.DisposeAsync();

    [TestCase(".well-known/oauth-protected-resource/mcp", SecuredGateway.PublicOrigin + "/mcp")]
    [TestCase(".well-known/oauth-protected-resource", SecuredGateway.PublicOrigin)]
    public async Task Metadata_NamesResourceAuthorizationServerAndScopes(string path, string resource)
    {
        using var response = await _env.Http.GetAsync(path);
        var document = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((string?)document["resource"], Is.EqualTo(resource));
        Assert.That(document["authorization_servers"]!.AsArray().Select(s => (string?)s), Is.EqualTo(new[] { _env.Idp.Issuer }));
        Assert.That(document["scopes_supported"]!.AsArray().Select(s => (string?)s),
            Is.EqualTo(new[] { "api:read", "graph:read", "tools:call", "tools:read" }), "configured scopes plus every scope a route requires");
        Assert.That(document["bearer_methods_supported"]!.AsArray().Select(s => (string?)s), Is.EqualTo(new[] { "header" }));
    }

    [Test]
    public async Task McpResourceMetadata_ResourceIsAnAcceptedAudience()
    {
        var document = (await _env.Http.GetFromJsonAsync<JsonObject>(".well-known/oauth-protected-resource/mcp"))!;
        var token = _env.Token(c => c["aud"] = (string?)document["resource"]);

        using var response = await _env.Http.SendAsync(_env.Request(HttpMethod.Get, "tools", token));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task WithoutPublicOrigin_MetadataUsesTheRequestOrigin()
    {
        await using var env = await SecuredGateway.StartAsync(new Dictionary<string, string?> { ["Gateway:Auth:PublicOrigin"] = null });

        var document = (await env.Http.GetFromJsonAsync<JsonObject>(".well-known/oauth-protected-resource/mcp"))!;
        using var unauthorized = await env.Http.SendAsync(McpHttp.Post(env.Gateway.McpEndpoint, McpHttp.Request(1, "tools/list")));

        var origin = env.Gateway.Address.GetLeftPart(UriPartial.Authority);
        Assert.That((string?)document["resource"], Is.EqualTo(origin + "/mcp"));
        Assert.That(unauthorized.Headers.WwwAuthenticate.ToString(), Does.Contain($"resource_metadata=\"{origin}/.well-known/oauth-protected-resource/mcp\""));
    }
}

/// <summary>Without PublicOrigin, nothing the caller sends in Host is published unless the host rule allows it, and never cacheably.</summary>
public sealed class RequestHostReflectionTests
{
    private SecuredGateway _env = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _env = await SecuredGateway.StartAsync(new Dictionary<string, string?> { ["Gateway:Auth:PublicOrigin"] = null });

    [OneTimeTearDown]
    public async Task StopAsync() => await _env.DisposeAsync();

    [TestCase(".well-known/oauth-protected-resource")]
    [TestCase(".well-known/oauth-protected-resource/mcp")]
    public async Task Metadata_FromALoopbackHost_IsNoStoreAndVariesByHost(string path)
    {
        using var response = await _env.Http.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.CacheControl?.NoStore, Is.True, response.Headers.CacheControl?.ToString());
        Assert.That(response.Headers.CacheControl?.Public, Is.False);
        Assert.That(response.Headers.Vary, Does.Contain("Host"));
    }

    [TestCase("evil.example")]
    [TestCase("evil.example:8087")]
    [TestCase("gw.test.evil.example")]
    [TestCase("10.0.0.5")]
    [TestCase("[fe80::1]")]
    [TestCase("localhost.evil.example")]
    [TestCase("127.0.0.1.nip.io")]
    public async Task Metadata_ForAHostOutsideTheRule_IsRefusedWithoutEchoingIt(string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, ".well-known/oauth-protected-resource/mcp");
        request.Headers.Host = host;

        using var response = await _env.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), body);
        Assert.That(body, Does.Not.Contain(host.Trim('[', ']')).And.Not.Contain("evil"));
        Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
    }

    [TestCase("evil.example")]
    [TestCase("attacker.test:443")]
    public async Task Challenge_ForAHostOutsideTheRule_OmitsResourceMetadata(string host)
    {
        using var request = McpHttp.Post(_env.Gateway.McpEndpoint, McpHttp.Request(1, "tools/list"));
        request.Headers.Host = host;

        using var response = await _env.Http.SendAsync(request);
        var challenge = response.Headers.WwwAuthenticate.ToString();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(challenge, Does.StartWith("Bearer").And.Not.Contain("resource_metadata").And.Not.Contain(host.Split(':')[0]));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Not.Contain(host.Split(':')[0]));
    }

    [Test]
    public async Task Metadata_ForAHostListedInAllowedHosts_IsReflectedInCanonicalForm()
    {
        await using var env = await SecuredGateway.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:Auth:PublicOrigin"] = null,
            ["AllowedHosts"] = "gw.example.com;*.apps.example.com;127.0.0.1",
        });

        var documents = new List<string?>();
        foreach (var host in new[] { "GW.example.com", "team.apps.example.com:8443" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, ".well-known/oauth-protected-resource/mcp");
            request.Headers.Host = host;
            using var response = await env.Http.SendAsync(request);
            documents.Add((string?)(await response.Content.ReadFromJsonAsync<JsonObject>())!["resource"]);
        }

        using var other = new HttpRequestMessage(HttpMethod.Get, ".well-known/oauth-protected-resource/mcp");
        other.Headers.Host = "evil.example";
        using var refused = await env.Http.SendAsync(other);

        Assert.That(documents, Is.EqualTo(new[] { "http://gw.example.com/mcp", "http://team.apps.example.com:8443/mcp" }));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "host filtering refuses hosts outside AllowedHosts");
    }

    [Test]
    public async Task Metadata_WithPublicOrigin_IgnoresHostAndIsPublic()
    {
        await using var env = await SecuredGateway.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, ".well-known/oauth-protected-resource");
        request.Headers.Host = "evil.example";

        using var response = await env.Http.SendAsync(request);

        Assert.That((string?)(await response.Content.ReadFromJsonAsync<JsonObject>())!["resource"], Is.EqualTo(SecuredGateway.PublicOrigin));
        Assert.That(response.Headers.CacheControl?.Public, Is.True);
    }
}
