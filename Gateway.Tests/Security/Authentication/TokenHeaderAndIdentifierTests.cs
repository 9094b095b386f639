using System.Net;
using System.Text.Json.Nodes;
using Gateway.Proxy.Security;
using Gateway.Proxy.Security.Authentication;

namespace Gateway.Tests.Security.Authentication;

/// <summary>
/// Real signed tokens against a running gateway: JOSE header rules (RFC 7515 crit and unique names), issuer and
/// audience compared exactly, and the optional token type (RFC 9068 at+jwt).
/// </summary>
public sealed class TokenHeaderAndIdentifierTests
{
    private const string ExactIssuer = "https://idp.example";
    private SecuredGateway _env = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _env = await SecuredGateway.StartAsync(new Dictionary<string, string?>
    {
        // An issuer name that is not the JWKS host, so trailing-slash and case variants can be signed.
        ["Gateway:Auth:Oidc:Issuer"] = ExactIssuer,
    });

    [OneTimeTearDown]
    public async Task StopAsync() => await _env.DisposeAsync();

    public static IEnumerable<TestCaseData> RejectedHeaders()
    {
        yield return Header("crit naming a present extension", """{"alg":"RS256","kid":"rsa-1","crit":["exp"],"exp":1}""", JoseHeader.UnsupportedCritical);
        yield return Header("crit naming b64 (RFC 7797)", """{"alg":"RS256","kid":"rsa-1","b64":true,"crit":["b64"]}""", JoseHeader.UnsupportedCritical);
        yield return Header("crit with an escaped name", """{"alg":"RS256","kid":"rsa-1","x":1,"cr\u0069t":["x"]}""", JoseHeader.UnsupportedCritical);
        yield return Header("crit empty", """{"alg":"RS256","kid":"rsa-1","crit":[]}""", JoseHeader.MalformedCritical);
        yield return Header("crit a string", """{"alg":"RS256","kid":"rsa-1","x":1,"crit":"x"}""", JoseHeader.MalformedCritical);
        yield return Header("crit null", """{"alg":"RS256","kid":"rsa-1","crit":null}""", JoseHeader.MalformedCritical);
        yield return Header("crit an object", """{"alg":"RS256","kid":"rsa-1","crit":{"x":1}}""", JoseHeader.MalformedCritical);
        yield return Header("crit with a number", """{"alg":"RS256","kid":"rsa-1","x":1,"crit":["x",1]}""", JoseHeader.MalformedCritical);
        yield return Header("crit naming an absent parameter", """{"alg":"RS256","kid":"rsa-1","crit":["x"]}""", JoseHeader.MalformedCritical);
        yield return Header("crit naming a standard parameter", """{"alg":"RS256","kid":"rsa-1","crit":["alg"]}""", JoseHeader.MalformedCritical);
        yield return Header("crit naming itself", """{"alg":"RS256","kid":"rsa-1","crit":["crit"]}""", JoseHeader.MalformedCritical);
        yield return Header("crit with a duplicate", """{"alg":"RS256","kid":"rsa-1","x":1,"crit":["x","x"]}""", JoseHeader.MalformedCritical);
        yield return Header("crit with an empty name", """{"alg":"RS256","kid":"rsa-1","crit":[""]}""", JoseHeader.MalformedCritical);
        yield return Header("alg twice", """{"alg":"RS256","kid":"rsa-1","alg":"RS256"}""", JoseHeader.DuplicateParameter);
        yield return Header("kid twice, once escaped", """{"alg":"RS256","kid":"rsa-1","k\u0069d":"rsa-1"}""", JoseHeader.DuplicateParameter);
        yield return Header("crit twice", """{"alg":"RS256","kid":"rsa-1","x":1,"crit":["x"],"crit":["x"]}""", JoseHeader.DuplicateParameter);
        yield return Header("typ a number", """{"alg":"RS256","kid":"rsa-1","typ":1}""", JoseHeader.TypeNotAString);
    }

    [TestCaseSource(nameof(RejectedHeaders))]
    public async Task Token_WithUnacceptableHeader_Is401InvalidToken(string header, string description)
    {
        var token = TestTokens.SignWithHeader(_env.Rsa, header, Claims());

        var body = await AssertRefusedAsync(token, "invalid_token");

        Assert.That((string?)body["message"], Does.Contain(description));
    }

    [Test]
    public async Task Token_WithUnknownHeaderParameterNotMarkedCritical_IsAccepted()
    {
        var token = TestTokens.SignWithHeader(_env.Rsa, """{"alg":"RS256","kid":"rsa-1","typ":"JWT","x-note":"ignored"}""", Claims());

        using var response = await SendAsync(token);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [TestCase(ExactIssuer)]
    public async Task Token_WithTheExactIssuer_IsAccepted(string issuer)
    {
        using var response = await SendAsync(TestTokens.Sign(_env.Rsa, Claims(issuer: issuer)));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [TestCase(ExactIssuer + "/")]
    [TestCase("https://IDP.example")]
    [TestCase("HTTPS://idp.example")]
    [TestCase("https://idp.example:443")]
    [TestCase(" https://idp.example")]
    [TestCase("https://idp.example/.")]
    public async Task Token_WithAnIssuerThatOnlyLooksAlike_Is401InvalidIssuer(string issuer)
    {
        await AssertRefusedAsync(TestTokens.Sign(_env.Rsa, Claims(issuer: issuer)), "invalid_issuer");
    }

    [Test]
    public async Task Gateway_ConfiguredWithTrailingSlashIssuer_RefusesTokenWithout()
    {
        await using var env = await SecuredGateway.StartAsync(new Dictionary<string, string?> { ["Gateway:Auth:Oidc:Issuer"] = ExactIssuer + "/" });

        using var refused = await env.Http.SendAsync(env.Request(HttpMethod.Get, "tools",
            TestTokens.Sign(env.Rsa, TestTokens.Claims(ExactIssuer, SecuredGateway.Audience))));
        using var accepted = await env.Http.SendAsync(env.Request(HttpMethod.Get, "tools",
            TestTokens.Sign(env.Rsa, TestTokens.Claims(ExactIssuer + "/", SecuredGateway.Audience))));

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase(SecuredGateway.Audience + "/")]
    [TestCase("https://GW.test/mcp")]
    [TestCase("https://gw.test/MCP")]
    [TestCase("https://gw.test:443/mcp")]
    [TestCase(SecuredGateway.PublicOrigin)]
    public async Task Token_WithAnAudienceThatOnlyLooksAlike_Is401InvalidAudience(string audience)
    {
        await AssertRefusedAsync(TestTokens.Sign(_env.Rsa, Claims(audience: audience)), "invalid_audience");
    }

    [Test]
    public async Task Token_WithAnAudienceArrayHoldingTheExactAudience_IsAccepted()
    {
        var claims = Claims();
        claims["aud"] = new JsonArray("https://other.example", SecuredGateway.Audience);

        using var response = await SendAsync(TestTokens.Sign(_env.Rsa, claims));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Token_WithoutRequiredTokenTypeSetting_AnyTypIsAccepted()
    {
        var token = TestTokens.SignWithHeader(_env.Rsa, """{"alg":"RS256","kid":"rsa-1","typ":"JWT"}""", Claims());

        using var response = await SendAsync(token);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("at+jwt", "at+jwt")]
    [TestCase("at+jwt", "application/at+jwt")]
    [TestCase("at+jwt", "AT+JWT")]
    [TestCase("application/at+jwt", "Application/AT+jwt")]
    [TestCase("application/at+jwt", "at+jwt")]
    public async Task RequiredTokenType_MatchingTyp_IsAccepted(string required, string typ)
    {
        await using var env = await SecuredGateway.StartAsync(new Dictionary<string, string?> { ["Gateway:Auth:RequiredTokenType"] = required });
        var token = TestTokens.SignWithHeader(env.Rsa, $$"""{"alg":"RS256","kid":"rsa-1","typ":"{{typ}}"}""",
            TestTokens.Claims(env.Idp.Issuer, SecuredGateway.Audience));

        using var response = await env.Http.SendAsync(env.Request(HttpMethod.Get, "tools", token));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task RequiredTokenType_WrongOrMissingTyp_Is401TokenType()
    {
        await using var env = await SecuredGateway.StartAsync(new Dictionary<string, string?> { ["Gateway:Auth:RequiredTokenType"] = "at+jwt" });
        var claims = TestTokens.Claims(env.Idp.Issuer, SecuredGateway.Audience);
        foreach (var header in new[]
        {
            """{"alg":"RS256","kid":"rsa-1","typ":"JWT"}""",
            """{"alg":"RS256","kid":"rsa-1"}""",
            """{"alg":"RS256","kid":"rsa-1","typ":"application/jwt"}""",
            """{"alg":"RS256","kid":"rsa-1","typ":"at+jwt; charset=utf-8"}""",
            """{"alg":"RS256","kid":"rsa-1","typ":"text/at+jwt"}""",
            """{"alg":"RS256","kid":"rsa-1","typ":"at+jwt "}""",
            """{"alg":"RS256","kid":"rsa-1","typ":""}""",
        })
        {
            var before = await env.AuthFailuresAsync(AuthFailureReasons.TokenType);
            using var response = await env.Http.SendAsync(env.Request(HttpMethod.Get, "tools", TestTokens.SignWithHeader(env.Rsa, header, claims)));

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), header);
            Assert.That((string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["data"]!["reason"], Is.EqualTo(AuthFailureReasons.TokenType), header);
            Assert.That(await env.AuthFailuresAsync(AuthFailureReasons.TokenType), Is.EqualTo(before + 1), header);
        }
    }

    [TestCase("at+jwt")]
    [TestCase("application/at+jwt")]
    [TestCase("JWT")]
    public void RequiredTokenType_MediaTypeName_IsValid(string value)
    {
        var result = new SecurityOptionsValidator(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build())
            .Validate(null, new SecurityOptions { RequiredTokenType = value });

        Assert.That(result.Succeeded, Is.True, result.FailureMessage);
    }

    [TestCase("")]
    [TestCase(" ")]
    [TestCase("at jwt")]
    [TestCase("application/at+jwt; charset=utf-8")]
    [TestCase("application/")]
    [TestCase("/at+jwt")]
    [TestCase("a/b/c")]
    [TestCase("+jwt")]
    public void RequiredTokenType_NotAMediaTypeName_FailsValidation(string value)
    {
        var result = new SecurityOptionsValidator(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build())
            .Validate(null, new SecurityOptions { RequiredTokenType = value });

        Assert.That(result.FailureMessage, Does.Contain("Gateway:Auth:RequiredTokenType").And.Contain("at+jwt"));
    }

    private JsonObject Claims(string issuer = ExactIssuer, string audience = SecuredGateway.Audience) => TestTokens.Claims(issuer, audience);

    private Task<HttpResponseMessage> SendAsync(string token) => _env.Http.SendAsync(_env.Request(HttpMethod.Get, "tools", token));

    private async Task<JsonNode> AssertRefusedAsync(string token, string reason)
    {
        var before = await _env.AuthFailuresAsync(reason);
        using var response = await SendAsync(token);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((string?)body["data"]!["reason"], Is.EqualTo(reason));
        Assert.That(await _env.AuthFailuresAsync(reason), Is.EqualTo(before + 1));
        return body;
    }

    private static TestCaseData Header(string name, string header, string description) =>
        new TestCaseData(header, description).SetArgDisplayNames(name);
}
