namespace Gateway.Transforms.Mapping;

/// <summary>
/// The parts of a backend request built from one call's arguments, every value already checked and encoded: the
/// path and query exactly as they go on the request line, and the header values exactly as they go on the wire.
/// </summary>
public sealed class BoundToolRequest
{
    public BoundToolRequest(RestRequestTemplate template, string pathAndQuery, KeyValuePair<string, string>[] headers)
    {
        Template = template;
        PathAndQuery = pathAndQuery;
        Headers = headers;
    }

    public RestRequestTemplate Template { get; }

    /// <summary>Starts with '/'; each path hole is one percent-encoded segment; the query, if any, follows '?'.</summary>
    public string PathAndQuery { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }
}
