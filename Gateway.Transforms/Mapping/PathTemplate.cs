namespace Gateway.Transforms.Mapping;

/// <summary>
/// A backend path such as <c>/v1/agents/{agent}/functions/{function}</c>. Each hole is replaced by its
/// argument, URL-encoded as exactly one segment, so an argument can never add segments or climb with <c>..</c>.
/// </summary>
public sealed class PathTemplate
{
    private readonly Part[] _parts;

    private PathTemplate(string text, Part[] parts, string[] arguments)
    {
        Text = text;
        _parts = parts;
        Arguments = arguments;
    }

    public string Text { get; }

    /// <summary>The argument names used by holes, in order of appearance.</summary>
    public IReadOnlyList<string> Arguments { get; }

    public static PathTemplate Parse(string text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text) || text[0] != '/')
        {
            error = $"path template '{text}' must start with '/'";
            return new PathTemplate(text, [], []);
        }

        if (text.Contains('?') || text.Contains('#'))
        {
            error = $"path template '{text}' must not contain '?' or '#'; declare query arguments with the 'Query' key";
            return new PathTemplate(text, [], []);
        }

        var parts = new List<Part>();
        var arguments = new List<string>();
        var literalStart = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '}')
            {
                error = $"path template '{text}' has '}}' without a matching '{{' at position {i}";
                break;
            }

            if (text[i] != '{')
            {
                continue;
            }

            var close = text.IndexOf('}', i + 1);
            if (close < 0)
            {
                error = $"path template '{text}' has an unclosed '{{' at position {i}";
                break;
            }

            var name = text.Substring(i + 1, close - i - 1);
            if (!IsArgumentName(name))
            {
                error = $"path template '{text}' has an invalid hole '{{{name}}}'; use {{argument_name}} with letters, digits, '_' or '-'";
                break;
            }

            if (i > literalStart)
            {
                parts.Add(new Part(text.Substring(literalStart, i - literalStart), null));
            }

            parts.Add(new Part(null, name));
            arguments.Add(name);
            literalStart = close + 1;
            i = close;
        }

        if (literalStart < text.Length)
        {
            parts.Add(new Part(text[literalStart..], null));
        }

        return new PathTemplate(text, [.. parts], [.. arguments]);
    }

    /// <summary>Fills the holes; returns false with the missing argument's name when one has no scalar value.</summary>
    public bool TryExpand(Func<string, string?> valueOf, out string path, out string? missingArgument)
    {
        if (Arguments.Count == 0)
        {
            path = Text;
            missingArgument = null;
            return true;
        }

        var builder = new System.Text.StringBuilder(Text.Length + 32);
        foreach (var part in _parts)
        {
            if (part.Literal is not null)
            {
                builder.Append(part.Literal);
                continue;
            }

            var value = valueOf(part.Argument!);
            if (string.IsNullOrEmpty(value))
            {
                path = string.Empty;
                missingArgument = part.Argument;
                return false;
            }

            // "." and ".." are legal data but would be resolved as dot-segments by the backend's URL parser.
            builder.Append(value is "." or ".." ? value.Replace(".", "%2E", StringComparison.Ordinal) : Uri.EscapeDataString(value));
        }

        path = builder.ToString();
        missingArgument = null;
        return true;
    }

    internal static bool IsArgumentName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private readonly record struct Part(string? Literal, string? Argument);
}
