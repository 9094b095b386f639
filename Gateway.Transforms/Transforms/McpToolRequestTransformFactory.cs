using Gateway.Transforms.Mapping;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Gateway.Transforms.Transforms;

/// <summary>
/// Reads the <c>McpToolRequest</c> transform of a route:
/// <code>{ "McpToolRequest": "POST /v1/search", "Query": "top_k", "Body": "query", "Headers": "X-Session=session", "HeaderEncoding": "percent" }</code>
/// Unknown keys in the same entry fail validation rather than being ignored.
/// </summary>
public sealed class McpToolRequestTransformFactory : ITransformFactory
{
    public const string RequestKey = "McpToolRequest";
    public const string QueryKey = "Query";
    public const string BodyKey = "Body";
    public const string HeadersKey = "Headers";
    public const string HeaderEncodingKey = "HeaderEncoding";

    private static readonly HashSet<string> s_knownKeys = new(StringComparer.Ordinal) { RequestKey, QueryKey, BodyKey, HeadersKey, HeaderEncodingKey };

    public bool Validate(TransformRouteValidationContext context, IReadOnlyDictionary<string, string> transformValues)
    {
        if (!transformValues.TryGetValue(RequestKey, out var requestLine))
        {
            return false;
        }

        var errors = new List<string>();
        foreach (var key in transformValues.Keys)
        {
            if (!s_knownKeys.Contains(key))
            {
                errors.Add($"unknown key '{key}' in the {RequestKey} transform; allowed keys (exact spelling): {string.Join(", ", s_knownKeys)}");
            }
        }

        Parse(requestLine, transformValues, errors);
        foreach (var error in errors)
        {
            context.Errors.Add(new ArgumentException($"Route '{context.Route.RouteId}': {error}"));
        }

        return true;
    }

    public bool Build(TransformBuilderContext context, IReadOnlyDictionary<string, string> transformValues)
    {
        if (!transformValues.TryGetValue(RequestKey, out var requestLine))
        {
            return false;
        }

        var errors = new List<string>();
        var template = Parse(requestLine, transformValues, errors)
            ?? throw new ArgumentException($"Route '{context.Route.RouteId}': {string.Join("; ", errors)}");

        // The backend request is built entirely from the tool's arguments: nothing of the MCP client's
        // own request (its headers, credentials, query or body) is copied.
        context.CopyRequestHeaders = false;
        context.UseDefaultForwarders = false;
        context.RequestTransforms.Add(new McpToolRequestTransform(template));
        return true;
    }

    internal static RestRequestTemplate? Parse(string requestLine, IReadOnlyDictionary<string, string> values, List<string> errors)
    {
        values.TryGetValue(QueryKey, out var query);
        values.TryGetValue(BodyKey, out var body);
        values.TryGetValue(HeadersKey, out var headers);
        values.TryGetValue(HeaderEncodingKey, out var headerEncoding);
        return RestRequestTemplate.Parse(requestLine, query, body, headers, errors, headerEncoding);
    }
}
