namespace Gateway.Transforms.Mapping;

/// <summary>
/// Header field names as HTTP defines them (RFC 9110 tokens) and as backends compare them. CGI, FastCGI, WSGI, Rack
/// and nginx turn a name into <c>HTTP_X_GATEWAY_SUBJECT</c>: ASCII case is ignored and '-' and '_' become the same
/// character, so <c>X_Gateway_Subject</c> and <c>x-gateway-subject</c> reach such a backend as one header.
/// </summary>
public static class HeaderFieldName
{
    /// <summary>The gateway's own namespace: names under it are set only by the gateway.</summary>
    public const string GatewayPrefix = "X-Gateway-";

    /// <summary>An RFC 9110 token: one or more of ALPHA, DIGIT and <c>!#$%&amp;'*+-.^_`|~</c>.</summary>
    public static bool IsToken(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when a backend that folds names the CGI way would see <paramref name="a"/> and <paramref name="b"/> as one header.</summary>
    public static bool FoldedEquals(ReadOnlySpan<char> a, ReadOnlySpan<char> b) =>
        a.Length == b.Length && FoldedStartsWith(a, b);

    /// <summary>True when <paramref name="name"/>, folded, begins with <paramref name="prefix"/>, folded.</summary>
    public static bool FoldedStartsWith(ReadOnlySpan<char> name, ReadOnlySpan<char> prefix)
    {
        if (name.Length < prefix.Length)
        {
            return false;
        }

        for (var i = 0; i < prefix.Length; i++)
        {
            if (Fold(name[i]) != Fold(prefix[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A name in the gateway's <c>X-Gateway-</c> namespace, in any spelling a backend folds into it.</summary>
    public static bool IsGatewayNamespace(ReadOnlySpan<char> name) => FoldedStartsWith(name, GatewayPrefix);

    private static char Fold(char c) => c is '-' or '_' ? '_' : char.IsAsciiLetterLower(c) ? (char)(c - 32) : c;
}
