namespace DemoBackends.AiAgents.Graph;

/// <summary>A query outside the supported read-only subset, or one that references a missing parameter.</summary>
internal sealed class GraphQueryException(string error, string detail) : Exception(detail)
{
    public const string Unsupported = "unsupported_query";
    public const string MissingParameter = "missing_parameter";
    public const string InvalidParameter = "invalid_parameter";

    public string Error { get; } = error;

    public static GraphQueryException NotSupported(string detail) => new(Unsupported, detail);
}
