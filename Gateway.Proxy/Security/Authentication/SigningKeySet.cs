using System.Collections.Frozen;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Proxy.Security.Authentication;

/// <summary>One immutable generation of the issuer's signing keys, indexed by <c>kid</c>.</summary>
public sealed class SigningKeySet
{
    public static readonly SigningKeySet Empty = new([], DateTimeOffset.MinValue);

    private readonly FrozenDictionary<string, SecurityKey> _byKeyId;

    public SigningKeySet(IReadOnlyList<SecurityKey> keys, DateTimeOffset fetchedAt)
    {
        Keys = keys;
        FetchedAt = fetchedAt;
        var byKeyId = new Dictionary<string, SecurityKey>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (key.KeyId is { Length: > 0 } kid)
            {
                byKeyId[kid] = key;
            }
        }

        _byKeyId = byKeyId.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public IReadOnlyList<SecurityKey> Keys { get; }

    public DateTimeOffset FetchedAt { get; }

    public bool Contains(string keyId) => _byKeyId.ContainsKey(keyId);

    /// <summary>The key named by <paramref name="keyId"/>, or every key when the token names none.</summary>
    public IEnumerable<SecurityKey> Resolve(string? keyId) =>
        string.IsNullOrEmpty(keyId) ? Keys : _byKeyId.TryGetValue(keyId, out var key) ? [key] : [];

    /// <summary>Signature keys (RSA and EC) of a JWKS document; encryption keys are ignored.</summary>
    public static SigningKeySet Parse(string json, DateTimeOffset fetchedAt)
    {
        var document = new JsonWebKeySet(json);
        var keys = new List<SecurityKey>(document.Keys.Count);
        foreach (var key in document.Keys)
        {
            if ((key.Use is null || key.Use == JsonWebKeyUseNames.Sig) && key.Kty is JsonWebAlgorithmsKeyTypes.RSA or JsonWebAlgorithmsKeyTypes.EllipticCurve)
            {
                keys.Add(key);
            }
        }

        return new SigningKeySet(keys, fetchedAt);
    }
}
