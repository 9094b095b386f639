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
