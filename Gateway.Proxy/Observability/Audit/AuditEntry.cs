using System.Text.Json.Serialization;

namespace Gateway.Proxy.Observability.Audit;

/// <summary>
/// One line of the audit trail. Serialized with <see cref="AuditJsonContext"/> as snake_case JSON in declaration
/// order; the optional <c>route</c>, <c>cluster</c>, <c>server</c>, <c>upstream_tool</c> and <c>http_status</c> are
/// omitted when null.
/// Carries <see cref="ArgumentsSha256"/>, never the raw arguments.
/// </summary>
public sealed record AuditEntry
{
    public const string McpRequestType = "mcp_request";

    /// <summary>Written as ISO-8601 UTC with milliseconds, e.g. <c>2025-01-31T12:00:00.123Z</c>.</summary>
    [JsonConverter(typeof(UtcMillisecondTimestampConverter))]
    public required DateTimeOffset Timestamp { get; init; }

    public string Type { get; init; } = McpRequestType;

    public required string RequestId { get; init; }

    /// <summary>The authenticated subject (<c>sub</c>).</summary>
    public string? User { get; init; }

    public string? Tenant { get; init; }

    /// <summary>The JSON-RPC method such as <c>tools/call</c>, or <c>rest</c> for plain HTTP routes.</summary>
    public required string Method { get; init; }

    public string? Tool { get; init; }

    /// <summary><see cref="AuditStatus.Ok"/> or <see cref="AuditStatus.Error"/>.</summary>
    public required string Status { get; init; }

    /// <summary>A short error code or message; null when the request succeeded.</summary>
    public string? Error { get; init; }

    public double LatencyMs { get; init; }

    public IReadOnlyList<string> SecurityFlags { get; init; } = [];

    /// <summary>Hex SHA-256 of the canonical arguments JSON, see <see cref="AuditHashing.HashArguments"/>.</summary>
    [JsonPropertyName("arguments_sha256")]
    public string? ArgumentsSha256 { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Route { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Cluster { get; init; }

    /// <summary>For a federated tool: the upstream MCP server (its name under <c>Federation.Upstreams</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Server { get; init; }

    /// <summary>For a federated tool: the tool's own name on its upstream server.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UpstreamTool { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? HttpStatus { get; init; }

    /// <summary>The id (public part) of the API key the caller used, so <c>keys report</c> can say when a key was last used.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ApiKeyId { get; init; }
}
