using System.Net;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Security.Metadata;

/// <summary>
/// With API keys and no OAuth authorization server, the gateway publishes no RFC 9728 metadata and its 401s say to send
/// a key; with an OIDC issuer, metadata is published and the 401 points to it.
/// </summary>
public sealed class ApiKeysOnlyMetadataTests
{
    private const string Initialize = """{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}""";

    [Test]
    public async Task ApiKeysOnly_NoMetadata_And401SaysHowToAuthenticate()
    {
        await using var secured = await SecuredGateway.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:Auth:Oidc:Issuer"] = "",
            ["Gateway:Auth:Oidc:JwksUrl"] = "",
        });
        using var http = new HttpClient { BaseAddress = secured.Gateway.Address };

        using var metadata = await http.GetAsync(".well-known/oauth-protected-resource/mcp");
        Assert.That(metadata.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

        using var anonymous = await http.SendAsync(McpHttp.Post(secured.Gateway.McpEndpoint, McpHttp.Request(1, "initialize", Initialize)));
        var challenge = anonymous.Headers.WwwAuthenticate.ToString();
        var error = await McpHttp.ReadMessageAsync(anonymous);

        Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(challenge, Is.EqualTo("ApiKey header=\"X-API-Key\""));
        Assert.That((string?)error["error"]!["message"], Is.EqualTo(
            "Authentication required: send an API key in the 'X-API-Key' header. This gateway accepts no OAuth tokens (it has no authorization server); an operator issues keys with 'keys create'."));

        var key = await secured.CreateApiKeyAsync("--subject", "svc-ci", "--tier", "standard");
        await Resilience.GatewayProbe.EventuallyAsync(async () =>
        {
            using var request = McpHttp.Post(secured.Gateway.McpEndpoint, McpHttp.Request(2, "tools/list"), headers: new Dictionary<string, string> { ["X-API-Key"] = key });
            using var response = await http.SendAsync(request);
            return response.StatusCode != HttpStatusCode.Unauthorized;
        }, "the new key file is loaded");
        await using var client = await secured.ConnectAsync(new Dictionary<string, string> { ["X-API-Key"] = key });
        Assert.That(await client.ListToolsAsync(), Is.Not.Empty, "the way the 401 names works");
    }

    [Test]
    public async Task WithAnIssuer_MetadataIsPublished_And401PointsToIt()
    {
        await using var secured = await SecuredGateway.StartAsync();
        using var http = new HttpClient { BaseAddress = secured.Gateway.Address };

        using var metadata = await http.GetAsync(".well-known/oauth-protected-resource/mcp");
        var document = JsonNode.Parse(await metadata.Content.ReadAsStringAsync())!;
        Assert.That(document["authorization_servers"]!.AsArray(), Is.Not.Empty);

        using var anonymous = await http.SendAsync(McpHttp.Post(secured.Gateway.McpEndpoint, McpHttp.Request(1, "initialize", Initialize)));
        var message = (string?)(await McpHttp.ReadMessageAsync(anonymous))["error"]!["message"];
        Assert.That(anonymous.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer resource_metadata=\""));
        Assert.That(message, Does.Contain("Authorization: Bearer").And.Contain("/.well-known/oauth-protected-resource/mcp").And.Contain("'X-API-Key' header"));
    }
}
