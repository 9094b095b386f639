using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Tests.Security;

/// <summary>Builds compact JWS tokens by hand, so tests can produce every kind of wrong token as well as right ones.</summary>
public static class TestTokens
{
    public static JsonObject Claims(string issuer, string audience, string subject = "alice", string tier = "standard",
        string? scope = "tools:read tools:call", string? tenant = "acme", TimeSpan? expiresIn = null)
    {
        var now = DateTimeOffset.UtcNow;
        var claims = new JsonObject
        {
            ["iss"] = issuer,
            ["aud"] = audience,
            ["sub"] = subject,
            ["tier"] = tier,
            ["iat"] = now.AddHours(-1).ToUnixTimeSeconds(),
            ["nbf"] = now.AddHours(-1).ToUnixTimeSeconds(),
            ["exp"] = now.Add(expiresIn ?? TimeSpan.FromMinutes(5)).ToUnixTimeSeconds(),
        };
        if (scope is not null)
        {
            claims["scope"] = scope;
        }

        if (tenant is not null)
        {
            claims["tenant"] = tenant;
        }

        return claims;
    }

    /// <summary>Signed with <paramref name="key"/>'s algorithm, naming <paramref name="keyId"/> (default: the key's own).</summary>
    public static string Sign(TestSigningKey key, JsonObject claims, string? keyId = null)
    {
        var signingInput = SigningInput(new JsonObject { ["alg"] = key.Algorithm, ["typ"] = "JWT", ["kid"] = keyId ?? key.KeyId }, claims);
        return signingInput + "." + Base64UrlEncoder.Encode(key.Sign(Encoding.ASCII.GetBytes(signingInput)));
    }

    /// <summary>Signed with <paramref name="key"/>, with the protected header given verbatim (so it can be malformed).</summary>
    public static string SignWithHeader(TestSigningKey key, string headerJson, JsonObject claims)
    {
        var signingInput = Base64UrlEncoder.Encode(headerJson) + "." + Base64UrlEncoder.Encode(claims.ToJsonString());
        return signingInput + "." + Base64UrlEncoder.Encode(key.Sign(Encoding.ASCII.GetBytes(signingInput)));
    }

    /// <summary>An unsigned token (<c>alg: none</c>).</summary>
    public static string Unsigned(JsonObject claims, string keyId) =>
        SigningInput(new JsonObject { ["alg"] = "none", ["typ"] = "JWT", ["kid"] = keyId }, claims) + ".";

    /// <summary>The algorithm-confusion attack: HS256 keyed with the issuer's public key.</summary>
    public static string HmacWithPublicKey(TestSigningKey publicKeyOf, JsonObject claims)
    {
        var signingInput = SigningInput(new JsonObject { ["alg"] = "HS256", ["typ"] = "JWT", ["kid"] = publicKeyOf.KeyId }, claims);
        var signature = HMACSHA256.HashData(publicKeyOf.PublicKeyBytes, Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64UrlEncoder.Encode(signature);
    }

    private static string SigningInput(JsonObject header, JsonObject claims) =>
        Base64UrlEncoder.Encode(header.ToJsonString()) + "." + Base64UrlEncoder.Encode(claims.ToJsonString());
}
