using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Gateway.Transforms.Federation;

/// <summary>
/// The canonical form of a resource URI (or URI template) that resource <c>Include</c>/<c>Exclude</c> rules are matched
/// on: RFC 3986 syntax-based normalization (section 6.2.2), scheme-independent since upstream URIs use any scheme.
/// The URI is split into its components by the generic syntax (section 3); the scheme and host are lower-cased;
/// percent-encoded unreserved characters are decoded and every other escape written with upper-case hex; characters
/// a URI cannot hold (space, <c>\</c>, non-ASCII…) are percent-encoded as UTF-8; and dot segments are removed from
/// the path (section 5.2.4), so <c>file:///public/../secret</c> and <c>file:///public/%2e%2e/secret</c> are both
/// <c>file:///secret</c>. Refused: a relative reference, a <c>%</c> not followed by two hex digits, a control
/// character, and a path that would gain a dot segment if an encoded <c>/</c> or <c>\</c> (<c>%2F</c>, <c>%5C</c>) were
/// decoded (<c>a%2F..%2Fsecret</c>), since servers differ in whether they decode those first. Nothing scheme-specific
/// (default ports, an empty path read as <c>/</c>) is applied. In a template each <c>{expression}</c> is kept as it is.
/// </summary>
public static class CanonicalResourceUri
{
    private const string Reserved = ":/?#[]@!$&'()*+,;=";

    public static bool TryCanonicalize(string text, bool template, [NotNullWhen(true)] out string? canonical, [NotNullWhen(false)] out string? error)
    {
        canonical = null;
        var colon = SchemeEnd(text);
        if (colon <= 0)
        {
            error = "it is not an absolute URI: it must start with a scheme such as 'file:'";
            return false;
        }

        var rest = text.AsSpan(colon + 1);
        var builder = new StringBuilder(text.Length + 8);
        builder.Append(text.AsSpan(0, colon).ToString().ToLowerInvariant()).Append(':');
        if (rest.StartsWith("//"))
        {
            var authorityEnd = 2 + IndexOfAny(rest[2..], "/?#", template);
            if (!TryNormalize(rest[2..authorityEnd], template, Component.Authority, out var authority, out error))
            {
                return false;
            }

            builder.Append("//").Append(LowerHost(authority));
            rest = rest[authorityEnd..];
        }

        var pathEnd = IndexOfAny(rest, "?#", template);
        if (!TryNormalize(rest[..pathEnd], template, Component.Path, out var path, out error))
        {
            return false;
        }

        path = RemoveDotSegments(path);
        if (HasEncodedDotSegment(path))
        {
            error = "its path has an encoded '/' or '\\' (%2F, %5C) next to a '.' or '..' segment, which servers read differently; write the path without them";
            return false;
        }

        builder.Append(path);
        rest = rest[pathEnd..];
        if (rest.StartsWith("?"))
        {
            var queryEnd = IndexOfAny(rest, "#", template);
            if (!TryNormalize(rest[1..queryEnd], template, Component.Query, out var query, out error))
            {
                return false;
            }

            builder.Append('?').Append(query);
            rest = rest[queryEnd..];
        }

        if (rest.StartsWith("#"))
        {
            if (!TryNormalize(rest[1..], template, Component.Fragment, out var fragment, out error))
            {
                return false;
            }

            builder.Append('#').Append(fragment);
        }

        canonical = builder.ToString();
        error = null;
        return true;
    }

    public static bool IsUnreserved(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';

    public static bool IsReserved(char c) => Reserved.Contains(c);

    // RFC 3986 section 3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then ':'.
    private static int SchemeEnd(string text)
    {
        if (text.Length == 0 || !char.IsAsciiLetter(text[0]))
        {
            return -1;
        }

        for (var i = 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c == ':')
            {
                return i;
            }

            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return -1;
            }
        }

        return -1;
    }

    // The first of the delimiters outside a template's {expressions}, or the length.
    private static int IndexOfAny(ReadOnlySpan<char> text, string delimiters, bool template)
    {
        var inExpression = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (template && c == '{')
            {
                inExpression = true;
            }
            else if (template && c == '}')
            {
                inExpression = false;
            }
            else if (!inExpression && delimiters.Contains(c))
            {
                return i;
            }
        }

        return text.Length;
    }

    private static bool TryNormalize(ReadOnlySpan<char> text, bool template, Component component, [NotNullWhen(true)] out string? normalized, [NotNullWhen(false)] out string? error)
    {
        normalized = null;
        var builder = new StringBuilder(text.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (template && c == '{')
            {
                var close = text[i..].IndexOf('}');
                if (close < 0 || !IsExpression(text.Slice(i + 1, close - 1)))
                {
                    error = "it has a '{' that does not start a URI template expression such as {id} or {+path}";
                    return false;
                }

                builder.Append(text.Slice(i, close + 1));
                i += close;
            }
            else if (template && c == '}')
            {
                error = "it has a '}' without its '{'";
                return false;
            }
            else if (c == '%')
            {
                if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2]))
                {
                    error = "it has a '%' not followed by two hex digits; write a literal '%' as %25";
                    return false;
                }

                var decoded = (char)Convert.ToByte(text.Slice(i + 1, 2).ToString(), 16);
                if (IsUnreserved(decoded))
                {
                    builder.Append(decoded);
                }
                else
                {
                    builder.Append('%').Append(char.ToUpperInvariant(text[i + 1])).Append(char.ToUpperInvariant(text[i + 2]));
                }

                i += 2;
            }
            else if (char.IsControl(c))
            {
                error = "it has a control character";
                return false;
            }
            else if (IsUnreserved(c) || (IsReserved(c) && Allowed(c, component)))
            {
                builder.Append(c);
            }
            else
            {
                var length = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
                if (char.IsSurrogate(c) && length == 1)
                {
                    error = "it has an unpaired UTF-16 surrogate";
                    return false;
                }

                var written = Encoding.UTF8.GetBytes(text.Slice(i, length), utf8);
                foreach (var b in utf8[..written])
                {
                    builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                }

                i += length - 1;
            }
        }

        normalized = builder.ToString();
        error = null;
        return true;
    }

    // '[' and ']' belong to an IP-literal host only, '#' never inside a component: anywhere else they are escaped.
    private static bool Allowed(char c, Component component) => c switch
    {
        '[' or ']' => component == Component.Authority,
        '#' => false,
        _ => true,
    };

    // RFC 6570: an optional operator, then variable names (ALPHA, DIGIT, '_', '.', pct-encoded) with ':n' or '*' modifiers.
    private static bool IsExpression(ReadOnlySpan<char> body)
    {
        if (body.Length > 0 && "+#./;?&".Contains(body[0]))
        {
            body = body[1..];
        }

        if (body.IsEmpty)
        {
            return false;
        }

        foreach (var c in body)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '.' or ',' or ':' or '*' or '%'))
            {
                return false;
            }
        }

        return true;
    }

    // Host names are case-insensitive (section 3.2.2); user info is not. Escapes keep their upper-case hex.
    private static string LowerHost(string authority)
    {
        var at = authority.LastIndexOf('@');
        var chars = authority.ToCharArray();
        for (var i = at + 1; i < chars.Length; i++)
        {
            if (chars[i] == '%')
            {
                i += 2;
            }
            else
            {
                chars[i] = char.ToLowerInvariant(chars[i]);
            }
        }

        return new string(chars);
    }

    /// <summary>RFC 3986 section 5.2.4, segment by segment; a rootless path stays rootless.</summary>
    private static string RemoveDotSegments(string path)
    {
        if (!path.Contains('.'))
        {
            return path;
        }

        var rooted = path.StartsWith('/');
        var segments = path.Split('/');
        var output = new List<string>(segments.Length);
        for (var i = rooted ? 1 : 0; i < segments.Length; i++)
        {
            var last = i == segments.Length - 1;
            switch (segments[i])
            {
                case ".":
                    break;
                case "..":
                    if (output.Count > 0)
                    {
                        output.RemoveAt(output.Count - 1);
                    }

                    break;
                default:
                    output.Add(segments[i]);
                    continue;
            }

            if (last)
            {
                output.Add(string.Empty);
            }
        }

        return (rooted ? "/" : string.Empty) + string.Join('/', output);
    }

    private static bool HasEncodedDotSegment(string path)
    {
        if (!path.Contains("%2F", StringComparison.Ordinal) && !path.Contains("%5C", StringComparison.Ordinal))
        {
            return false;
        }

        var decoded = path.Replace("%2F", "/", StringComparison.Ordinal).Replace("%5C", "/", StringComparison.Ordinal);
        return decoded.Split('/').Any(s => s is "." or "..");
    }

    private enum Component
    {
        Authority,
        Path,
        Query,
        Fragment,
    }
}
