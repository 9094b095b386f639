namespace Gateway.Proxy.Observability.Audit;

/// <summary>Configuration of <see cref="AuditTrail"/>; checked by <see cref="AuditOptionsValidator"/>.</summary>
public sealed class AuditOptions
{
    public const string PathEnvironmentVariable = "MCP_GATEWAY_AUDIT_LOG_PATH";
    public const string DefaultPath = "logs/audit.jsonl";

    /// <summary>The active JSONL file; defaults to <c>MCP_GATEWAY_AUDIT_LOG_PATH</c>, else <c>logs/audit.jsonl</c>.</summary>
    public string Path { get; set; } = Environment.GetEnvironmentVariable(PathEnvironmentVariable) is { Length: > 0 } path
        ? path
        : DefaultPath;

    /// <summary>Entries waiting to be written; when full, new entries are dropped rather than blocking requests.</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>The active file is rotated before a batch would take it past this size; 0 disables size rotation.</summary>
    public long MaxFileBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>Rotate when the UTC date changes.</summary>
    public bool RotateDaily { get; set; } = true;

    /// <summary>Rotated files kept; the oldest beyond this are deleted.</summary>
    public int MaxRetainedFiles { get; set; } = 30;

    /// <summary>When set, batches are POSTed here as NDJSON; failures fall back to the local file.</summary>
    public Uri? AuditServiceUrl { get; set; }

    /// <summary>Most entries per batch, for both forwarding and local writes.</summary>
    public int ForwardBatchSize { get; set; } = 500;

    public TimeSpan ForwardTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// fsync each batch, so a written batch survives a power loss, not only a process crash. Off by default: each batch
    /// is one write of whole lines, so a process crash never tears a line either way, and a synchronous fsync per batch
    /// tied up a thread-pool thread per request at low concurrency (p50 +0.1 ms, p99 x3 in the benchmark).
    /// </summary>
    public bool FlushToDisk { get; set; }
}
