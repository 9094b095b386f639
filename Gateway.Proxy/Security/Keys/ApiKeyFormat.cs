using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Proxy.Security.Keys;

/// <summary>
/// The key format <c>mcpgw_&lt;id&gt;_&lt;secret&gt;</c>: a 16-hex-digit id for lookup and a 256-bit random secret
/// (base64url). Because the secret has full entropy, a plain SHA-256 is a safe stored form (no slow KDF needed).
/// </summary>
public static class ApiKeyFormat
{
    public const string Prefix = "mcpgw_";
    public const string HashPrefix = "sha256:";
    public const int IdLength = 16;
    public const int SecretBytes = 32;
    public const int HashBytes = 32;

    private static readonly int s_secretLength = Base64Url.GetEncodedLength(SecretBytes);

    public static int KeyLength => Prefix.Length + IdLength + 1 + s_secretLength;

    /// <summary>A fresh key and its id.</summary>
    public static (string Id, string Key) Generate()
    {
        Span<byte> idBytes = stackalloc byte[IdLength / 2];
        Span<byte> secret = stackalloc byte[SecretBytes];
        RandomNumberGenerator.Fill(idBytes);
        RandomNumberGenerator.Fill(secret);
        var id = Convert.ToHexStringLower(idBytes);
        return (id, Prefix + id + "_" + Base64Url.EncodeToString(secret));
    }

    /// <summary>True when <paramref name="key"/> has the key shape; <paramref name="id"/> is then its id part.</summary>
    public static bool TryGetId(ReadOnlySpan<char> key, out ReadOnlySpan<char> id)
    {
        id = default;
        if (key.Length != KeyLength || !key.StartsWith(Prefix, StringComparison.Ordinal) || key[Prefix.Length + IdLength] != '_')
        {
            return false;
        }

        var candidate = key.Slice(Prefix.Length, IdLength);
        if (!IsLowerHex(candidate) || !Base64Url.IsValid(key[(Prefix.Length + IdLength + 1)..]))
        {
            return false;
        }

        id = candidate;
        return true;
    }

    public static bool IsValidId(ReadOnlySpan<char> id) => id.Length == IdLength && IsLowerHex(id);

    /// <summary>The stored form, <c>sha256:&lt;hex&gt;</c>.</summary>
    public static string Hash(ReadOnlySpan<char> key)
    {
        Span<byte> hash = stackalloc byte[HashBytes];
        ComputeHash(key, hash);
        return HashPrefix + Convert.ToHexStringLower(hash);
    }

    /// <summary>SHA-256 of the key's ASCII bytes. Keys are fixed-length ASCII, so this never allocates.</summary>
    public static void ComputeHash(ReadOnlySpan<char> key, Span<byte> hash)
    {
        Span<byte> ascii = stackalloc byte[KeyLength];
        var length = Encoding.ASCII.GetBytes(key[..Math.Min(key.Length, KeyLength)], ascii);
        SHA256.HashData(ascii[..length], hash);
    }

    /// <summary>Reads a stored hash; false when it is not <c>sha256:</c> followed by 64 hex digits.</summary>
    public static bool TryDecodeHash(string stored, out byte[] hash)
    {
        hash = [];
        if (!stored.StartsWith(HashPrefix, StringComparison.Ordinal) || stored.Length != HashPrefix.Length + (HashBytes * 2))
        {
            return false;
        }

        try
        {
            hash = Convert.FromHexString(stored.AsSpan(HashPrefix.Length));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool IsLowerHex(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        return true;
    }
}
