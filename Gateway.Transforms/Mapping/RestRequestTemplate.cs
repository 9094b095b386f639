using System.Buffers;
using System.Text.Json;

namespace Gateway.Transforms.Mapping;

/// <summary>
/// The REST request a tool declares: method, path template, query, body and header bindings.
/// Parsed once from the route's <c>McpToolRequest</c> transform and applied to every call.
/// </summary>
public sealed class RestRequestTemplate
{
    private static readonly HashSet<string> s_forbiddenHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "Host", "Content-Length", "Content-Type",
        "Transfer-Encoding", "Connection", "Upgrade", "X-API-Key", "Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto",
    };

    private readonly HashSet<string> _consumedByUrlOrHeaders;

    private RestRequestTemplate(HttpMethod method, PathTemplate path, ArgumentBinding[] query, BodyMode bodyMode, ArgumentBinding[] body, ArgumentBinding[] headers)
    {
        Method = method;
        Path = path;
        Query = query;
        BodyMode = bodyMode;
        Body = body;
        Headers = headers;
        _consumedByUrlOrHeaders = new HashSet<string>(StringComparer.Ordinal);
        _consumedByUrlOrHeaders.UnionWith(path.Arguments);
        foreach (var q in query)
        {
            _consumedByUrlOrHeaders.Add(q.Argument);
        }

        foreach (var h in headers)
        {
            _consumedByUrlOrHeaders.Add(h.Argument);
        }
    }

    public HttpMethod Method { get; }

    public PathTemplate Path { get; }

    public IReadOnlyList<ArgumentBinding> Query { get; }

    public BodyMode BodyMode { get; }

    public IReadOnlyList<ArgumentBinding> Body { get; }

    public IReadOnlyList<ArgumentBinding> Headers { get; }

    /// <summary>Every argument name the template refers to, for cross-checking against the input schema.</summary>
    public IEnumerable<string> ReferencedArguments =>
        Path.Arguments.Concat(Query.Select(q => q.Argument)).Concat(Body.Select(b => b.Argument)).Concat(Headers.Select(h => h.Argument));

    /// <param name="requestLine">e.g. <c>POST /v1/search</c>.</param>
    /// <param name="query">e.g. <c>top_k,q=query</c>; null for none.</param>
    /// <param name="body"><c>*</c> (remaining arguments), <c>none</c>, or a list like <c>prompt,max_tokens=limit</c>; null for the method's default.</param>
    /// <param name="headers">e.g. <c>X-Session-Id=session_id</c>; null for none.</param>
    public static RestRequestTemplate? Parse(string requestLine, string? query, string? body, string? headers, List<string> errors)
    {
        var firstErrorCount = errors.Count;
        var line = requestLine.AsSpan().Trim();
        var space = line.IndexOf(' ');
        if (space <= 0)
        {
            errors.Add($"McpToolRequest '{requestLine}' must be '<METHOD> <path>', e.g. 'POST /v1/search'");
            return null;
        }

        var methodText = line[..space].ToString().ToUpperInvariant();
        HttpMethod? method = methodText switch
        {
            "GET" => HttpMethod.Get,
            "POST" => HttpMethod.Post,
            "PUT" => HttpMethod.Put,
            "PATCH" => HttpMethod.Patch,
            "DELETE" => HttpMethod.Delete,
            _ => null,
        };
        if (method is null)
        {
            errors.Add($"McpToolRequest method '{methodText}' is not supported; use GET, POST, PUT, PATCH or DELETE");
        }

        var path = PathTemplate.Parse(line[(space + 1)..].Trim().ToString(), out var pathError);
        if (pathError is not null)
        {
            errors.Add(pathError);
        }

        var queryBindings = ParseBindings(query, "Query", errors, validateTarget: null);
        var headerBindings = ParseBindings(headers, "Headers", errors, ValidateHeaderName);

        var bodyMode = method == HttpMethod.Get || method == HttpMethod.Delete ? BodyMode.None : BodyMode.RemainingArguments;
        ArgumentBinding[] bodyBindings = [];
        var bodyText = body?.Trim();
        if (!string.IsNullOrEmpty(bodyText))
        {
            if (bodyText == "*")
            {
                bodyMode = BodyMode.RemainingArguments;
            }
            else if (string.Equals(bodyText, "none", StringComparison.OrdinalIgnoreCase))
            {
                bodyMode = BodyMode.None;
            }
            else
            {
                bodyMode = BodyMode.Listed;
                bodyBindings = ParseBindings(bodyText, "Body", errors, validateTarget: null);
            }
        }

        if (bodyMode != BodyMode.None && method == HttpMethod.Get)
        {
            errors.Add("Body is not allowed with GET; use Query for GET tools or change the method");
        }

        return errors.Count > firstErrorCount || method is null
            ? null
            : new RestRequestTemplate(method, path, queryBindings, bodyMode, bodyBindings, headerBindings);
    }

    /// <summary>Writes the JSON body for these arguments; returns false when there is no body to send.</summary>
    public bool TryWriteBody(JsonElement arguments, IBufferWriter<byte> output)
    {
        if (BodyMode == BodyMode.None)
        {
            return false;
        }

        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        if (arguments.ValueKind == JsonValueKind.Object)
        {
            if (BodyMode == BodyMode.RemainingArguments)
            {
                foreach (var property in arguments.EnumerateObject())
                {
                    if (!_consumedByUrlOrHeaders.Contains(property.Name))
                    {
                        property.WriteTo(writer);
                    }
                }
            }
            else
            {
                foreach (var binding in Body)
                {
                    if (arguments.TryGetProperty(binding.Argument, out var value))
                    {
                        writer.WritePropertyName(binding.Target);
                        value.WriteTo(writer);
                    }
                }
            }
        }

        writer.WriteEndObject();
        return true;
    }

    /// <summary>Text form of a scalar argument for a path, query or header; null when absent or null.</summary>
    public static string? ScalarText(JsonElement arguments, string name)
    {
        if (arguments.ValueKind != JsonValueKind.Object || !arguments.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => value.GetRawText(),
        };
    }

    private static ArgumentBinding[] ParseBindings(string? text, string key, List<string> errors, Func<string, string?>? validateTarget)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var result = new List<ArgumentBinding>();
        foreach (var item in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!ArgumentBinding.TryParse(item, out var binding) || !PathTemplate.IsArgumentName(binding.Argument))
            {
                errors.Add($"{key} entry '{item}' is invalid; use 'argument' or 'target=argument'");
                continue;
            }

            if (validateTarget?.Invoke(binding.Target) is { } targetError)
            {
                errors.Add(targetError);
                continue;
            }

            result.Add(binding);
        }

        return [.. result];
    }

    private static string? ValidateHeaderName(string name)
    {
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return $"Headers entry '{name}' is not a valid header name";
            }
        }

        return s_forbiddenHeaders.Contains(name)
            ? $"Headers entry '{name}' is reserved: credentials and hop-by-hop headers can't be set from tool arguments"
            : null;
    }
}
