namespace Gateway.Proxy.Security.Authentication;

/// <summary>
/// The JWS <c>typ</c> header as a media type (RFC 7515 §4.1.9): a value without '/' stands for <c>application/</c> plus
/// the value, and media type names compare case-insensitively, so <c>at+jwt</c>, <c>AT+JWT</c> and
/// <c>application/at+jwt</c> are one type (RFC 9068 §2.1). Parameters are not allowed.
/// </summary>
public static class TokenType
{
    private const int MaxNameLength = 127;

    /// <summary>The canonical form (<c>application/at+jwt</c>, lower case), or false when the value is not a media type name.</summary>
    public static bool TryNormalize(string? value, out string normalized)
    {
        normalized = string.Empty;
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        var slash = value.IndexOf('/');
        var type = slash < 0 ? "application" : value[..slash];
        var subtype = slash < 0 ? value : value[(slash + 1)..];
        if (!IsRestrictedName(type) || !IsRestrictedName(subtype))
        {
            return false;
        }

        normalized = (type + "/" + subtype).ToLowerInvariant();
        return true;
    }

    /// <summary>True when the token's <c>typ</c> names the required (already normalized) type.</summary>
    public static bool Matches(string requiredNormalized, string? presented) =>
        TryNormalize(presented, out var normalized) && string.Equals(normalized, requiredNormalized, StringComparison.Ordinal);

    /// <summary>RFC 6838 §4.2 restricted-name: a letter or digit, then letters, digits and <c>! # $ &amp; - ^ _ . +</c>.</summary>
    private static bool IsRestrictedName(string name)
    {
        if (name.Length is 0 or > MaxNameLength || !char.IsAsciiLetterOrDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('!' or '#' or '$' or '&' or '-' or '^' or '_' or '.' or '+'))
            {
                return false;
            }
        }

        return true;
    }
}
