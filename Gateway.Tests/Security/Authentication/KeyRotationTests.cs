using System.Net;

namespace Gateway.Tests.Security.Authentication;

/// <summary>The IdP rotates its keys while the gateway runs: the new kid is accepted on its first use, without a restart.</summary>
public sealed class KeyRotationTests
{
    [Test]
    public async Task IdpSwitchesKeys_NewKidIsAcceptedOnFirstUse_RetiredKidIsRefused()
    {
        await using var env = await SecuredGateway.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:Auth:Oidc:RefreshInterval"] = "00:00:00.200",
        });
        using var rotated = TestSigningKey.Rsa("rsa-2");
        using (var before = await env.Http.SendAsync(env.Request(HttpMethod.Get, "tools", env.Token())))
        {
            Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var fetchesBeforeRotation = env.Idp.JwksRequests;
        env.Idp.Publish(rotated);
        await Task.Delay(TimeSpan.FromMilliseconds(400)); // past RefreshInterval, so the unknown kid may trigger a refresh

        using var withNewKey = await env.Http.SendAsync(env.Request(HttpMethod.Get, "tools", env.Token(key: rotated)));
        Assert.That(withNewKey.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(env.Idp.JwksRequests, Is.GreaterThan(fetchesBeforeRotation));

        var unknownBefore = await env.AuthFailuresAsync("unknown_key");
        using var withRetiredKey = await env.Http.SendAsync(env.Request(HttpMethod.Get, "tools", env.Token(key: env.Rsa)));
        Assert.That(withRetiredKey.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await env.AuthFailuresAsync("unknown_key"), Is.EqualTo(unknownBefore + 1));
    }

    [Test]
    public async Task FloodOfRandomKids_ThroughTheGateway_IsThrottled()
    {
        await using var env = await SecuredGateway.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:Auth:Oidc:RefreshInterval"] = "01:00:00",
            ["Gateway:Auth:Oidc:AutomaticRefreshInterval"] = "02:00:00",
        });
        using (var first = await env.Http.SendAsync(env.Request(HttpMethod.Get, "tools", env.Token())))
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var fetches = env.Idp.JwksRequests;
        var statuses = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
        {
            var token = TestTokens.Sign(env.Rsa, TestTokens.Claims(env.Idp.Issuer, SecuredGateway.Audience), keyId: "random-" + i);
            using var response = await env.Http.SendAsync(env.Request(HttpMethod.Get, "tools", token));
            return response.StatusCode;
        }));

        Assert.That(statuses, Has.All.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(env.Idp.JwksRequests, Is.EqualTo(fetches), "no JWKS request within the refresh interval");
    }
}
