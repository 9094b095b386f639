using System.Text.Json;

namespace Gateway.Proxy.Security.Authentication;

/// <summary>
/// The parameters of a JWS protected header that the gateway acts on, and whether the header as a whole is
/// acceptable: parameter names are unique (RFC 7515 §4) and no parameter is marked critical, because the gateway
/// implements no JWS extension, so every <c>crit</c> list names something it does not understand (RFC 7515 §4.1.11).
/// </summary>
internal readonly record struct JoseHeader(string? Algorithm, string? KeyId, string? TokenType, string? Violation)
{
    /// <summary>More parameters than any real header has; a guard against huge headers within the token size limit.</summary>
    private const int MaxParameters = 32;

    /// <summary>The names RFC 7515 (and RFC 7518 for JWS) define; they must never appear in <c>crit</c>.</summary>
    private static readonly string[] s_registeredNames = ["alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit"];

    public const string DuplicateParameter = "the token's header names a parameter more than once.";
    public const string TooManyParameters = "the token's header has too many parameters.";
    public const string TypeNotAString = "the token's 'typ' header parameter is not a string.";
    public const string MalformedCritical = "the token's 'crit' header parameter is malformed (RFC 7515 4.1.11: a non-empty array naming extension parameters present in the header).";
    public const string UnsupportedCritical = "the token marks header extensions as critical ('crit') that the gateway does not understand; tokens must not use 'crit'.";

    /// <summary>Reads the header object the reader is positioned in (after its StartObject). False when it is not well-formed JSON.</summary>
    public static bool TryRead(ref Utf8JsonReader reader, out JoseHeader header)
    {
        header = default;
        string? algorithm = null, keyId = null, tokenType = null, violation = null;
        var names = new List<string>(8);
        List<string>? critical = null;
        var criticalPresent = false;
        var criticalMalformed = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            if (names.Count == MaxParameters)
            {
                violation ??= TooManyParameters;
            }
            else if (names.Contains(name, StringComparer.Ordinal))
            {
                violation ??= DuplicateParameter;
            }
            else
            {
                names.Add(name);
            }

            if (!reader.Read())
            {
                return false;
            }

            switch (name)
            {
                case "alg" when reader.TokenType == JsonTokenType.String:
                    algorithm = reader.GetString();
                    break;
                case "kid" when reader.TokenType == JsonTokenType.String:
                    keyId = reader.GetString();
                    break;
                case "typ":
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        tokenType = reader.GetString();
                    }
                    else
                    {
                        violation ??= TypeNotAString;
                        reader.Skip();
                    }

                    break;
                case "crit":
                    criticalPresent = true;
                    critical = ReadCritical(ref reader, ref criticalMalformed);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            return false;
        }

        if (criticalPresent)
        {
            violation ??= criticalMalformed || !IsWellFormed(critical!, names) ? MalformedCritical : UnsupportedCritical;
        }

        header = new JoseHeader(algorithm, keyId, tokenType, violation);
        return true;
    }

    private static List<string> ReadCritical(ref Utf8JsonReader reader, ref bool malformed)
    {
        var entries = new List<string>();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            malformed = true;
            reader.Skip();
            return entries;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                entries.Add(reader.GetString()!);
            }
            else
            {
                malformed = true;
                reader.Skip();
            }
        }

        return entries;
    }

    /// <summary>RFC 7515 §4.1.11: not empty, no duplicates, no registered names, every entry present in the header.</summary>
    private static bool IsWellFormed(List<string> critical, List<string> names)
    {
        if (critical.Count == 0)
        {
            return false;
        }

        for (var i = 0; i < critical.Count; i++)
        {
            var entry = critical[i];
            if (entry.Length == 0 || Array.IndexOf(s_registeredNames, entry) >= 0 || !names.Contains(entry, StringComparer.Ordinal)
                || critical.IndexOf(entry, i + 1) >= 0)
            {
                return false;
            }
        }

        return true;
    }
}
