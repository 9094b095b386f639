using System.Diagnostics.CodeAnalysis;

namespace Gateway.Transforms.Federation;

/// <summary>
/// One entry of an upstream's <c>Resources.Include</c>/<c>Exclude</c>: a URI or URI template in canonical form
/// (<see cref="CanonicalResourceUri"/>), a trailing <c>*</c> matching any ending, as for tool names. A template entry
/// (<c>test://doc/{id}</c>) matches the listed template of that text and every URI it can expand to: each
/// <c>{expression}</c> stands for what RFC 6570 lets its operator produce (<c>{id}</c> unreserved characters and
/// escapes, <c>{+path}</c> reserved ones too, <c>{/seg}</c> slashes…).
/// </summary>
public sealed class ResourceUriPattern
{
    private readonly string _text;
    private readonly bool _prefix;
    private readonly Part[] _parts;

    private ResourceUriPattern(string text, bool prefix)
    {
        _text = text;
        _prefix = prefix;
        _parts = Split(text);
    }

    /// <summary>Reads an entry as configured; false with a message saying what is wrong and what to write instead.</summary>
    public static bool TryParse(string entry, [NotNullWhen(true)] out ResourceUriPattern? pattern, [NotNullWhen(false)] out string? error)
    {
        pattern = null;
        var prefix = entry.EndsWith('*');
        var body = prefix ? entry[..^1] : entry;
        if (body.Length == 0)
        {
            pattern = new ResourceUriPattern(body, prefix);
            error = null;
            return true;
        }

        // A prefix is checked with a character after it, so that it may end anywhere a URI can go on ("file:///pub*").
        var probe = prefix ? body + "a" : body;
        if (!CanonicalResourceUri.TryCanonicalize(probe, template: true, out var canonical, out var reason))
        {
            error = $"'{entry}' is not a resource URI pattern: {reason}";
            return false;
        }

        if (!string.Equals(canonical, probe, StringComparison.Ordinal))
        {
            var suggestion = prefix && canonical.EndsWith('a') ? canonical[..^1] + "*" : canonical;
            error = $"'{entry}' is not in canonical form, which is what URIs are matched on; write '{suggestion}'";
            return false;
        }

        pattern = new ResourceUriPattern(body, prefix);
        error = null;
        return true;
    }

    /// <summary>Whether a canonical URI matches (for a template entry: could have been expanded from it).</summary>
    public bool MatchesUri(string canonicalUri)
    {
        var memo = new HashSet<(int, int)>();
        return Matches(0, 0, canonicalUri, memo);
    }

    /// <summary>Whether a canonical URI template matches, by its text.</summary>
    public bool MatchesTemplate(string canonicalTemplate) =>
        _prefix ? canonicalTemplate.StartsWith(_text, StringComparison.Ordinal) : string.Equals(canonicalTemplate, _text, StringComparison.Ordinal);

    public override string ToString() => _prefix ? _text + "*" : _text;

    // Backtracking over the parts, each (part, position) tried once: linear in parts × URI length.
    private bool Matches(int part, int position, string uri, HashSet<(int, int)> failed)
    {
        if (part == _parts.Length)
        {
            return _prefix || position == uri.Length;
        }

        if (failed.Contains((part, position)))
        {
            return false;
        }

        var current = _parts[part];
        if (current.Operator is null)
        {
            if (uri.AsSpan(position).StartsWith(current.Literal, StringComparison.Ordinal) && Matches(part + 1, position + current.Literal.Length, uri, failed))
            {
                return true;
            }
        }
        else
        {
            for (var end = position; ; end++)
            {
                if (Matches(part + 1, end, uri, failed))
                {
                    return true;
                }

                if (end == uri.Length || !CanExpandTo(current.Operator.Value, uri[end]))
                {
                    break;
                }
            }
        }

        failed.Add((part, position));
        return false;
    }

    // RFC 6570 section 3.2: what each operator's expansion may contain ('%' for escapes, ',' between values).
    private static bool CanExpandTo(char op, char c) =>
        CanonicalResourceUri.IsUnreserved(c) || c is '%' or ',' || op switch
        {
            '+' or '#' => CanonicalResourceUri.IsReserved(c),
            '.' => false,
            '/' => c == '/',
            ';' => c is ';' or '=',
            '?' or '&' => c is '?' or '&' or '=',
            _ => false,
        };

    private static Part[] Split(string text)
    {
        var parts = new List<Part>();
        var start = 0;
        while (start < text.Length)
        {
            var open = text.IndexOf('{', start);
            if (open < 0)
            {
                parts.Add(new Part(text[start..], null));
                break;
            }

            if (open > start)
            {
                parts.Add(new Part(text[start..open], null));
            }

            var close = text.IndexOf('}', open);
            var body = text[(open + 1)..close];
            parts.Add(new Part(string.Empty, "+#./;?&".Contains(body[0]) ? body[0] : ' '));
            start = close + 1;
        }

        return parts.ToArray();
    }

    private readonly record struct Part(string Literal, char? Operator);
}
