using System.Text.Json.Nodes;
using Gateway.Proxy.Security.Authentication;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Tests.Security.Authentication;

public sealed class JwtInspectorTests
{
    private static readonly string[] s_required = ["exp", "iss", "aud", "sub", "tier"];

    [Test]
    public void TryInspect_ReadsAlgorithmKidAndFindsNoMissingClaim()
    {
        var token = Token("""{"alg":"ES256","kid":"k1","typ":"JWT"}""", """{"exp":1,"iss":"i","aud":["a"],"sub":"s","tier":"free","extra":{"nested":[1,2]}}""");

        Assert.That(JwtInspector.TryInspect(token, s_required, out var shape), Is.True);
        Assert.That(shape, Is.EqualTo(new JwtShape("ES256", "k1", null, "JWT")));
    }

    [TestCase("""{"iss":"i","aud":"a","sub":"s","tier":"t"}""", "exp")]
    [TestCase("""{"exp":1,"aud":"a","sub":"s","tier":"t"}""", "iss")]
    [TestCase("""{"exp":1,"iss":"i","aud":[],"sub":"s","tier":"t"}""", "aud")]
    [TestCase("""{"exp":1,"iss":"i","aud":"a","sub":"","tier":"t"}""", "sub")]
    [TestCase("""{"exp":1,"iss":"i","aud":"a","sub":"s","tier":null}""", "tier")]
    public void TryInspect_NamesTheFirstMissingClaim(string payload, string missing)
    {
        Assert.That(JwtInspector.TryInspect(Token("""{"alg":"RS256"}""", payload), s_required, out var shape), Is.True);
        Assert.That(shape.MissingClaim, Is.EqualTo(missing));
    }

    [TestCase("")]
    [TestCase("abc")]
    [TestCase("a.b")]
    [TestCase("a.b.c.d.e")]
    [TestCase("!!!.e30.")]
    public void TryInspect_NotACompactJws_IsFalse(string token)
    {
        Assert.That(JwtInspector.TryInspect(token, s_required, out _), Is.False);
    }

    [TestCase("[1]", "{}")]
    [TestCase("{}", "\"text\"")]
    [TestCase("{\"alg\":", "{}")]
    public void TryInspect_HeaderOrPayloadNotAJsonObject_IsFalse(string header, string payload)
    {
        Assert.That(JwtInspector.TryInspect(Token(header, payload), s_required, out _), Is.False);
    }

    [Test]
    public void TryInspect_OversizedToken_IsFalse()
    {
        var token = Token("""{"alg":"RS256"}""", new JsonObject { ["pad"] = new string('x', 20_000) }.ToJsonString());

        Assert.That(JwtInspector.TryInspect(token, s_required, out _), Is.False);
    }

    private static string Token(string header, string payload) =>
        Base64UrlEncoder.Encode(header) + "." + Base64UrlEncoder.Encode(payload) + ".c2ln";
}
