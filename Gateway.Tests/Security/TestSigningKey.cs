using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Tests.Security;

/// <summary>A real RSA or EC key pair that signs test tokens and publishes its public half as a JWK.</summary>
public sealed class TestSigningKey : IDisposable
{
    private readonly RSA? _rsa;
    private readonly ECDsa? _ec;

    private TestSigningKey(string keyId, RSA? rsa, ECDsa? ec)
    {
        KeyId = keyId;
        _rsa = rsa;
        _ec = ec;
    }

    public string KeyId { get; }

    public string Algorithm => _rsa is not null ? "RS256" : "ES256";

    public static TestSigningKey Rsa(string keyId) => new(keyId, RSA.Create(2048), null);

    public static TestSigningKey EllipticCurve(string keyId) => new(keyId, null, ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>The public key in the form an attacker would use as an HMAC secret (algorithm confusion).</summary>
    public byte[] PublicKeyBytes => _rsa?.ExportSubjectPublicKeyInfo() ?? _ec!.ExportSubjectPublicKeyInfo();

    public byte[] Sign(byte[] data) => _rsa is not null
        ? _rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
        : _ec!.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    public JsonObject ToJwk()
    {
        if (_rsa is not null)
        {
            var p = _rsa.ExportParameters(false);
            return new JsonObject
            {
                ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = KeyId,
                ["n"] = Base64UrlEncoder.Encode(p.Modulus), ["e"] = Base64UrlEncoder.Encode(p.Exponent),
            };
        }

        var q = _ec!.ExportParameters(false).Q;
        return new JsonObject
        {
            ["kty"] = "EC", ["use"] = "sig", ["alg"] = "ES256", ["kid"] = KeyId, ["crv"] = "P-256",
            ["x"] = Base64UrlEncoder.Encode(q.X), ["y"] = Base64UrlEncoder.Encode(q.Y),
        };
    }

    public void Dispose()
    {
        _rsa?.Dispose();
        _ec?.Dispose();
    }
}
