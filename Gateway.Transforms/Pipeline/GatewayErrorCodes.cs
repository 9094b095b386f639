namespace Gateway.Transforms.Pipeline;

/// <summary>Stable error codes shared by MCP results, JSON-RPC errors, REST error bodies, metrics and the audit log.</summary>
public static class GatewayErrorCodes
{
    public const string ToolNotFound = "ToolNotFound";
    public const string InvalidArguments = "InvalidArguments";
    public const string Unauthorized = "Unauthorized";
    public const string Forbidden = "Forbidden";
    public const string RateLimited = "RateLimited";
    public const string CypherValidationError = "CypherValidationError";
    public const string PathValidationError = "PathValidationError";
    public const string LimitExceeded = "LimitExceeded";
    public const string UnsupportedMediaType = "UnsupportedMediaType";
    public const string BackendUnavailable = "BackendUnavailable";
    public const string BackendBusy = "BackendBusy";
    public const string ToolTimeout = "ToolTimeout";
    public const string BackendError = "BackendError";
    public const string BackendRejected = "BackendRejected";
    public const string ResultTooLarge = "ResultTooLarge";
    public const string NotFound = "NotFound";

    /// <summary>A federated tool held back because its definition is not the approved one (tool-definition pinning).</summary>
    public const string ToolQuarantined = "ToolQuarantined";
}
