using System.Text;
using System.Text.Json;

namespace Gateway.Transforms.Mapping;

/// <summary>
/// A backend path such as <c>/v1/agents/{agent}/functions/{function}</c>. Each hole is replaced by its
/// argument, URL-encoded as exactly one segment, so an argument can never add segments or climb with <c>..</c>.
/// The literal text is checked when the template is parsed: RFC 3986 path characters only, no dot segments.
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

        error ??= CheckLiterals(text, parts);
        return new PathTemplate(text, [.. parts], [.. arguments]);
    }

    /// <summary>The template's own text must already be a valid URL path that no resolver would shorten.</summary>
    private static string? CheckLiterals(string text, List<Part> parts)
    {
        foreach (var part in parts)
        {
            var literal = part.Literal;
            for (var i = 0; literal is not null && i < literal.Length; i++)
            {
                var c = literal[i];
                var escape = c == '%' && i + 2 < literal.Length && char.IsAsciiHexDigit(literal[i + 1]) && char.IsAsciiHexDigit(literal[i + 2]);
                if (!(escape || char.IsAsciiLetterOrDigit(c) || "-._~!$&'()*+,;=:@/".Contains(c)))
                {
                    return $"path template '{text}' has '{c}' at position {text.IndexOf(literal, StringComparison.Ordinal) + i}, which is not allowed in a URL path; percent-encode it";
                }
            }
        }

        foreach (var segment in text.Split('/'))
        {
            if (!segment.Contains('{') && Uri.UnescapeDataString(segment) is "." or "..")
            {
                return $"path template '{text}' has a '{segment}' segment; write the path without '.' and '..' segments";
            }
        }

        return null;
    }

    /// <summary>
    /// Fills the holes from the arguments, each value checked (<see cref="ArgumentValues.CheckPathSegment"/>) and
    /// percent-encoded as exactly one segment; returns false with the first argument that can't fill its hole.
    /// </summary>
    public bool TryExpand(JsonElement arguments, out string path, out ArgumentProblem problem)
    {
        problem = default;
        if (Arguments.Count == 0)
        {
            path = Text;
            return true;
        }

        path = string.Empty;
        var builder = new StringBuilder(Text.Length + 32);
        foreach (var part in _parts)
        {
            if (part.Literal is not null)
            {
                builder.Append(part.Literal);
                continue;
            }

            var name = part.Argument!;
            if (arguments.ValueKind != JsonValueKind.Object || !arguments.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                problem = new ArgumentProblem(name, "is required; pass a non-empty value");
                return false;
            }

            if (ArgumentValues.TextOf(value, out var valueProblem) is not { } text)
            {
                problem = new ArgumentProblem(name, valueProblem!);
                return false;
            }

            if (ArgumentValues.CheckPathSegment(text) is { } segmentProblem)
            {
                problem = new ArgumentProblem(name, segmentProblem);
                return false;
            }

            builder.Append(Uri.EscapeDataString(text));
        }

        path = builder.ToString();
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
