namespace Gateway.Transforms.Mapping;

/// <summary>
/// The parts of a backend request built from one call's arguments, every value already checked and encoded: the
/// path and query exactly as they go on the request line, the header values exactly as they go on the wire, and the
/// JSON body, if the route sends one.
/// </summary>
public sealed class BoundToolRequest
{
    public BoundToolRequest(RestRequestTemplate template, string pathAndQuery, KeyValuePair<string, string>[] headers, ReadOnlyMemory<byte>? body = null)
    {
        Body = body;
        Template = template;
        PathAndQuery = pathAndQuery;
        Headers = headers;
    }

    public RestRequestTemplate Template { get; }

    /// <summary>Starts with '/'; each path hole is one percent-encoded segment; the query, if any, follows '?'.</summary>
    public string PathAndQuery { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>The UTF-8 JSON body, or null when the route sends none.</summary>
    public ReadOnlyMemory<byte>? Body { get; }
}
