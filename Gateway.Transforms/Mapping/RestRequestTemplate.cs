using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;

namespace Gateway.Transforms.Mapping;

/// <summary>
/// The REST request a tool declares: method, path template, query, body and header bindings.
/// Parsed once from the route's <c>McpToolRequest</c> transform and applied to every call.
/// </summary>
public sealed class RestRequestTemplate
{
    /// <summary>
    /// Headers a tool argument may never set, compared the way backends fold names ('-' and '_' alike, any case):
    /// credentials, hop-by-hop and framing headers, the ones the gateway sets itself (identity, request id, trace
    /// context, forwarding), and content headers, which describe the body the gateway writes.
    /// </summary>
    private static readonly string[] s_reservedHeaders =
    [
        "Authorization", "Proxy-Authorization", "Proxy-Authenticate", "WWW-Authenticate", "Cookie", "Set-Cookie", "X-API-Key",
        "Host", "Content-Length", "Transfer-Encoding", "TE", "Trailer", "Connection", "Keep-Alive", "Proxy-Connection", "Upgrade",
        "Expect", "Via", "Max-Forwards", "Forwarded", "X-Real-IP", "X-Request-ID", "traceparent", "tracestate", "baggage",
    ];

    private static readonly string[] s_reservedHeaderPrefixes = [HeaderFieldName.GatewayPrefix, "X-Forwarded-", "Content-"];

    private readonly HashSet<string> _consumedByUrlOrHeaders;

    private readonly string[] _escapedQueryNames;

    private RestRequestTemplate(HttpMethod method, PathTemplate path, ArgumentBinding[] query, BodyMode bodyMode, ArgumentBinding[] body, ArgumentBinding[] headers,
        HeaderValueEncoding headerEncoding)
    {
        Method = method;
        Path = path;
        Query = query;
        BodyMode = bodyMode;
        Body = body;
        Headers = headers;
        HeaderEncoding = headerEncoding;
        _escapedQueryNames = Array.ConvertAll(query, q => Uri.EscapeDataString(q.Target));
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

    public HeaderValueEncoding HeaderEncoding { get; }

    /// <summary>Every argument name the template refers to, for cross-checking against the input schema.</summary>
    public IEnumerable<string> ReferencedArguments =>
        Path.Arguments.Concat(Query.Select(q => q.Argument)).Concat(Body.Select(b => b.Argument)).Concat(Headers.Select(h => h.Argument));

    /// <param name="requestLine">e.g. <c>POST /v1/search</c>.</param>
    /// <param name="query">e.g. <c>top_k,q=query</c>; null for none.</param>
    /// <param name="body"><c>*</c> (remaining arguments), <c>none</c>, or a list like <c>prompt,max_tokens=limit</c>; null for the method's default.</param>
    /// <param name="headers">e.g. <c>X-Session-Id=session_id</c>; null for none.</param>
    /// <param name="headerEncoding"><c>none</c> (default) or <c>percent</c>; null for the default.</param>
    public static RestRequestTemplate? Parse(string requestLine, string? query, string? body, string? headers, List<string> errors, string? headerEncoding = null)
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
        CheckDuplicateHeaders(headerBindings, errors);
        var encoding = ParseHeaderEncoding(headerEncoding, headerBindings.Length > 0, errors);

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
            : new RestRequestTemplate(method, path, queryBindings, bodyMode, bodyBindings, headerBindings, encoding);
    }

    /// <summary>
    /// Builds the path, query and headers of one call, checking every argument value for the place it goes.
    /// False with the first problem, as a message naming the argument, where it goes and what is wrong.
    /// </summary>
    public bool TryBind(JsonElement arguments, string toolName, [NotNullWhen(true)] out BoundToolRequest? request, [NotNullWhen(false)] out string? error)
    {
        request = null;
        if (ArgumentValues.FindUndecodableText(arguments) is { } undecodable)
        {
            error = Describe(toolName, undecodable, "no part of a request can carry it");
            return false;
        }

        if (!Path.TryExpand(arguments, out var path, out var pathProblem))
        {
            error = Describe(toolName, pathProblem, $"it fills a segment of the backend path {Path.Text}");
            return false;
        }

        var pathAndQuery = path;
        if (Query.Count > 0)
        {
            var builder = new StringBuilder(path, path.Length + 64);
            var separator = '?';
            for (var i = 0; i < Query.Count; i++)
            {
                var binding = Query[i];
                if (arguments.ValueKind != JsonValueKind.Object || !arguments.TryGetProperty(binding.Argument, out var value) || value.ValueKind == JsonValueKind.Null)
                {
                    continue;
                }

                if (AppendQuery(builder, ref separator, _escapedQueryNames[i], value) is { } queryProblem)
                {
                    error = Describe(toolName, new ArgumentProblem(binding.Argument, queryProblem), $"query parameter '{binding.Target}'");
                    return false;
                }
            }

            pathAndQuery = builder.ToString();
        }

        var headers = Headers.Count == 0 ? [] : new KeyValuePair<string, string>[Headers.Count];
        var headerCount = 0;
        foreach (var binding in Headers)
        {
            if (arguments.ValueKind != JsonValueKind.Object || !arguments.TryGetProperty(binding.Argument, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            var text = ArgumentValues.TextOf(value, out var headerProblem);
            if (text is not null)
            {
                headerProblem = ArgumentValues.CheckHeaderValue(text, HeaderEncoding, out text);
            }

            if (headerProblem is not null)
            {
                error = Describe(toolName, new ArgumentProblem(binding.Argument, headerProblem), $"header {binding.Target}");
                return false;
            }

            headers[headerCount++] = new KeyValuePair<string, string>(binding.Target, text!);
        }

        if (headerCount < headers.Length)
        {
            Array.Resize(ref headers, headerCount);
        }

        ReadOnlyMemory<byte>? body = null;
        if (BodyMode != BodyMode.None)
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            TryWriteBody(arguments, buffer);
            body = buffer.WrittenMemory;
        }

        request = new BoundToolRequest(this, pathAndQuery, headers, body);
        error = null;
        return true;
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

    private static string? AppendQuery(StringBuilder builder, ref char separator, string escapedName, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                if (ArgumentValues.TextOf(item, out var itemTypeProblem) is not { } itemText)
                {
                    return $"has item {index} that {itemTypeProblem}";
                }

                if (ArgumentValues.CheckText(itemText) is { } itemProblem)
                {
                    return $"has item {index} that {itemProblem}";
                }

                builder.Append(separator).Append(escapedName).Append('=').Append(Uri.EscapeDataString(itemText));
                separator = '&';
                index++;
            }

            return null;
        }

        if (ArgumentValues.TextOf(value, out var typeProblem) is not { } text)
        {
            return value.ValueKind == JsonValueKind.Object ? typeProblem + " (or an array of them)" : typeProblem;
        }

        if (ArgumentValues.CheckText(text) is { } problem)
        {
            return problem;
        }

        builder.Append(separator).Append(escapedName).Append('=').Append(Uri.EscapeDataString(text));
        separator = '&';
        return null;
    }

    private static string Describe(string toolName, ArgumentProblem problem, string place) =>
        $"Argument '{problem.Argument}' of tool '{toolName}' {problem.Problem} ({place}). Fix the argument and call again.";

    private static HeaderValueEncoding ParseHeaderEncoding(string? text, bool hasHeaders, List<string> errors)
    {
        if (text is null)
        {
            return HeaderValueEncoding.None;
        }

        var encoding = text switch
        {
            "none" => HeaderValueEncoding.None,
            "percent" => HeaderValueEncoding.Percent,
            _ => (HeaderValueEncoding?)null,
        };
        if (encoding is null)
        {
            errors.Add($"HeaderEncoding '{text}' is not supported; use 'none' (default: header arguments must be visible ASCII) or 'percent' (UTF-8 percent-encoding)");
            return HeaderValueEncoding.None;
        }

        if (!hasHeaders)
        {
            errors.Add("HeaderEncoding is set but there are no 'Headers' bindings it could apply to; remove it or bind a header");
        }

        return encoding.Value;
    }

    private static void CheckDuplicateHeaders(ArgumentBinding[] bindings, List<string> errors)
    {
        for (var i = 0; i < bindings.Length; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (HeaderFieldName.FoldedEquals(bindings[i].Target, bindings[j].Target))
                {
                    errors.Add($"Headers entries '{bindings[j].Target}' and '{bindings[i].Target}' name the same header (backends treat '-' and '_' and letter case alike); bind it once");
                }
            }
        }
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

    /// <summary>An RFC 9110 token outside the reserved names, in every spelling a backend folds into one of them.</summary>
    public static string? ValidateHeaderName(string name)
    {
        if (!HeaderFieldName.IsToken(name))
        {
            return $"Headers entry '{name}' is not a valid header name (an RFC 9110 token: letters, digits and !#$%&'*+-.^_`|~)";
        }

        foreach (var reserved in s_reservedHeaders)
        {
            if (HeaderFieldName.FoldedEquals(name, reserved))
            {
                return $"Headers entry '{name}' is reserved ({reserved}): credentials, hop-by-hop, framing and gateway-set headers can't be set from tool arguments";
            }
        }

        foreach (var prefix in s_reservedHeaderPrefixes)
        {
            if (HeaderFieldName.FoldedStartsWith(name, prefix))
            {
                return $"Headers entry '{name}' is reserved ({prefix}*): the gateway sets these headers itself, so tool arguments can't";
            }
        }

        return null;
    }
}
