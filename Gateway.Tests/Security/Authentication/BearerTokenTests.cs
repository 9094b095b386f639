using System.Net;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Security.Authentication;

/// <summary>Real RS256/ES256 tokens against a real JWKS: what is accepted, and every class of rejection with its metric reason.</summary>
public sealed class BearerTokenTests
{
    private SecuredGateway _env = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _env = await SecuredGateway.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _env.DisposeAsync();

    public static IEnumerable<TestCaseData> RejectedTokens()
    {
        yield return Case("alg none", "algorithm", env => TestTokens.Unsigned(Claims(env), env.Rsa.KeyId));
        yield return Case("HS256 keyed with the RSA public key", "algorithm", env => TestTokens.HmacWithPublicKey(env.Rsa, Claims(env)));
        yield return Case("HS256 keyed with the EC public key", "algorithm", env => TestTokens.HmacWithPublicKey(env.Ec, Claims(env)));
        yield return Case("signed by another key under a published kid", "invalid_signature", env =>
        {
            using var impostor = TestSigningKey.Rsa("impostor");
            return TestTokens.Sign(impostor, Claims(env), keyId: env.Rsa.KeyId);
        });
        yield return Case("payload altered after signing", "invalid_signature", env =>
        {
            var parts = env.Token().Split('.');
            var claims = Claims(env);
            claims["tier"] = "enterprise";
            return parts[0] + "." + Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(claims.ToJsonString()) + "." + parts[2];
        });
        yield return Case("expired", "expired", env => env.Token(c => c["exp"] = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeSeconds()));
        yield return Case("expired 2 minutes ago (beyond the 30 s skew, within the library's 5 min default)", "expired",
            env => env.Token(c => c["exp"] = DateTimeOffset.UtcNow.AddMinutes(-2).ToUnixTimeSeconds()));
        yield return Case("not valid before a future time", "invalid_token", env => env.Token(c => c["nbf"] = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds()));
        yield return Case("another issuer", "invalid_issuer", env => env.Token(c => c["iss"] = "https://evil.example.com"));
        yield return Case("another audience", "invalid_audience", env => env.Token(c => c["aud"] = "https://other-service.example.com/mcp"));
        foreach (var claim in new[] { "exp", "iss", "aud", "sub", "tier" })
        {
            yield return Case($"no '{claim}' claim", "missing_claim", env => env.Token(c => c.Remove(claim)));
        }

        yield return Case("empty 'sub' claim", "missing_claim", env => env.Token(c => c["sub"] = ""));
        yield return Case("unknown kid", "unknown_key", env => TestTokens.Sign(env.Rsa, Claims(env), keyId: "never-published"));
        yield return Case("not a JWT", "invalid_token", _ => "not-a-jwt");
        yield return Case("header not base64url", "invalid_token", _ => "!!!.e30.c2ln");
        yield return Case("encrypted (five parts)", "invalid_token", env => env.Token() + ".x.y");
    }

    [TestCaseSource(nameof(RejectedTokens))]
    public async Task RestRequest_WithRejectedToken_Is401InvalidTokenCountedByReason(Func<SecuredGateway, string> token, string reason)
    {
        var before = await _env.AuthFailuresAsync(reason);

        using var response = await _env.Http.SendAsync(_env.Request(HttpMethod.Get, "tools", token(_env)));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var challenge = response.Headers.WwwAuthenticate.ToString();
        Assert.That(challenge, Does.StartWith("Bearer ").And.Contain("error=\"invalid_token\"")
            .And.Contain($"resource_metadata=\"{SecuredGateway.PublicOrigin}/.well-known/oauth-protected-resource\""));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That((string?)body["error"], Is.EqualTo("Unauthorized"));
        Assert.That((string?)body["data"]!["reason"], Is.EqualTo(reason));
        Assert.That(await _env.AuthFailuresAsync(reason), Is.EqualTo(before + 1));
    }

    [TestCase("rsa")]
    [TestCase("ec")]
    public async Task RestRequest_WithValidToken_IsServed(string keyType)
    {
        var token = _env.Token(key: keyType == "rsa" ? _env.Rsa : _env.Ec);

        using var response = await _env.Http.SendAsync(_env.Request(HttpMethod.Get, "tools", token));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Token_ExpiredWithinTheClockSkew_IsAccepted()
    {
        var token = _env.Token(c => c["exp"] = DateTimeOffset.UtcNow.AddSeconds(-10).ToUnixTimeSeconds());

        using var response = await _env.Http.SendAsync(_env.Request(HttpMethod.Get, "tools", token));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task NoCredential_Is401WithResourceMetadataButNoError()
    {
        var before = await _env.AuthFailuresAsync("missing");

        using var response = await _env.Http.GetAsync("tools");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.ToString(),
            Is.EqualTo($"Bearer resource_metadata=\"{SecuredGateway.PublicOrigin}/.well-known/oauth-protected-resource\""));
        Assert.That(await _env.AuthFailuresAsync("missing"), Is.EqualTo(before + 1));
    }

    [Test]
    public async Task TokenInQueryString_IsRefusedEvenWhenValid()
    {
        var before = await _env.AuthFailuresAsync("query_token");

        using var response = await _env.Http.GetAsync("tools?access_token=" + _env.Token());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.Contain("error=\"invalid_request\""));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("query string"));
        Assert.That(await _env.AuthFailuresAsync("query_token"), Is.EqualTo(before + 1));
    }

    [Test]
    public async Task TokenInQueryString_IsRefusedEvenAlongsideAValidHeader()
    {
        using var request = _env.Request(HttpMethod.Get, "tools?access_token=x", _env.Token());

        using var response = await _env.Http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Mcp_WithoutToken_Is401WithJsonRpcErrorAndMcpMetadataUrl()
    {
        using var request = McpHttp.Post(_env.Gateway.McpEndpoint, McpHttp.Request(1, "tools/list"));

        using var response = await _env.Http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.ToString(),
            Is.EqualTo($"Bearer resource_metadata=\"{SecuredGateway.PublicOrigin}/.well-known/oauth-protected-resource/mcp\""));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.That((string?)body["jsonrpc"], Is.EqualTo("2.0"));
        Assert.That(body.ContainsKey("id") && body["id"] is null, Is.True, body.ToJsonString());
        Assert.That((int?)body["error"]!["code"], Is.EqualTo(-32000));
        Assert.That((string?)body["error"]!["message"], Does.Contain("Authorization: Bearer"));
    }

    [Test]
    public async Task Mcp_WithExpiredToken_Is401WithJsonRpcErrorAndInvalidToken()
    {
        var token = _env.Token(c => c["exp"] = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds());
        using var request = McpHttp.Post(_env.Gateway.McpEndpoint, McpHttp.Request(1, "tools/list"),
            headers: new Dictionary<string, string> { ["Authorization"] = "Bearer " + token });

        using var response = await _env.Http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.Contain("error=\"invalid_token\"").And.Contain("expired"));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That((string?)body["error"]!["data"]!["reason"], Is.EqualTo("expired"));
    }

    [TestCase("sse")]
    [TestCase("messages")]
    [TestCase("api/open/anything")]
    [TestCase("no/such/path")]
    public async Task OtherPaths_WithoutToken_Are401(string path)
    {
        using var response = await _env.Http.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [TestCase("health")]
    [TestCase("ready")]
    [TestCase(".well-known/oauth-protected-resource")]
    [TestCase(".well-known/oauth-protected-resource/mcp")]
    public async Task AnonymousPaths_AreServedWithoutToken(string path)
    {
        using var response = await _env.Http.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    private static JsonObject Claims(SecuredGateway env) => TestTokens.Claims(env.Idp.Issuer, SecuredGateway.Audience);

    private static TestCaseData Case(string name, string reason, Func<SecuredGateway, string> token) =>
        new TestCaseData(token, reason).SetArgDisplayNames(name);
}
