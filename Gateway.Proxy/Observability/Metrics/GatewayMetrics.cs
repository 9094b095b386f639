using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace Gateway.Proxy.Observability.Metrics;

/// <summary>
/// The gateway's own meter. Instruments carry their final Prometheus names, so the exporter adds no suffix.
/// Recording methods take typed values and build tags with <see cref="TagList"/>; label values should come from
/// bounded sets (configured tool, policy and validator names), never from raw request data.
/// </summary>
public sealed class GatewayMetrics : IDisposable
{
    public const string MeterName = "McpGateway";

    private const string Seconds = "s";
    private static readonly string[] StatusCodeLabels = CreateStatusCodeLabels();
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30];

    private readonly Meter _meter;
    private readonly Counter<long> _mcpRequests;
    private readonly Histogram<double> _mcpRequestDuration;
    private readonly Counter<long> _toolCalls;
    private readonly Counter<long> _authFailures;
    private readonly Counter<long> _rateLimited;
    private readonly Counter<long> _validationRejections;
    private readonly Counter<long> _httpRequests;
    private readonly Histogram<double> _httpRequestDuration;
    private readonly Counter<long> _auditEvents;
    private readonly UpDownCounter<long> _activeSessions;
    private readonly UpDownCounter<long> _activeStreams;
    private readonly Counter<long> _configReloads;
    private Func<IEnumerable<KeyValuePair<string, bool>>>? _backendUp;
    private Func<IEnumerable<KeyValuePair<string, CircuitStateCode>>>? _circuitStates;
    private Func<bool>? _redisAvailable;
    private Func<long>? _redisOutages;
    private Func<IEnumerable<KeyValuePair<string, DateTimeOffset>>>? _apiKeyExpiry;
    private Func<bool>? _jwksUp;
    private Func<long>? _jwksFetchFailures;
    private Func<IEnumerable<KeyValuePair<string, McpBackendHealth>>>? _mcpBackends;

    public GatewayMetrics(IMeterFactory meterFactory, GatewayBuildInfo? buildInfo = null)
    {
        _meter = meterFactory.Create(new MeterOptions(MeterName));
        var build = buildInfo ?? GatewayBuildInfo.Current;
        var durationAdvice = new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets };

        _mcpRequests = _meter.CreateCounter<long>("mcp_requests_total", description: "MCP requests handled, by tool and status (ok or error); federated tools also by server.");
        _mcpRequestDuration = _meter.CreateHistogram("mcp_request_duration_seconds", Seconds, "MCP request duration by tool; federated tools also by server.", tags: null, durationAdvice);
        _toolCalls = _meter.CreateCounter<long>("mcp_tool_calls_total", description: "tools/call invocations by tool name; federated tools also by server.");
        _authFailures = _meter.CreateCounter<long>("mcp_auth_failures_total", description: "Rejected authentications by reason.");
        _rateLimited = _meter.CreateCounter<long>("mcp_rate_limited_total", description: "Requests rejected by a rate-limit policy.");
        _validationRejections = _meter.CreateCounter<long>("mcp_validation_rejections_total", description: "Requests rejected by a validator.");
        _httpRequests = _meter.CreateCounter<long>("http_requests_total", description: "HTTP requests by response status code.");
        _httpRequestDuration = _meter.CreateHistogram("http_request_duration_seconds", Seconds, "HTTP request duration.", tags: null, durationAdvice);
        _auditEvents = _meter.CreateCounter<long>("mcp_audit_events_total", description: "Audit entries by outcome: written, forwarded, dropped or failed.");
        _activeSessions = _meter.CreateUpDownCounter<long>("mcp_active_sessions", description: "Open MCP sessions by transport (streamable_http, sse).");
        _activeStreams = _meter.CreateUpDownCounter<long>("mcp_active_streams", description: "Open MCP event streams (GET /mcp, GET /sse) by transport.");
        _configReloads = _meter.CreateCounter<long>("mcp_config_reloads_total", description: "Configuration reloads by result (success or failure).");

        _meter.CreateObservableGauge("mcp_backend_up", () => Observe(_backendUp, "cluster", static up => up ? 1 : 0), description: "1 when the backend cluster is healthy, else 0.");
        _meter.CreateObservableGauge("mcp_circuit_state", () => Observe(_circuitStates, "cluster", static state => (int)state), description: "Circuit breaker state: 0 closed, 1 half-open, 2 open.");
        _meter.CreateObservableGauge("mcp_redis_available", ObserveRedis, description: "1 when Redis answers, else 0.");
        _meter.CreateObservableCounter("mcp_redis_outages_total", ObserveRedisOutages, description: "Redis outages since start (each one fails rate limits open to per-replica limits).");
        _meter.CreateObservableGauge("mcp_api_key_expiry_timestamp", () => Observe(_apiKeyExpiry, "key_id", static expiry => expiry.ToUnixTimeSeconds()), description: "API key expiry as Unix time in seconds.");
        _meter.CreateObservableGauge("mcp_idp_jwks_up", ObserveJwksUp, description: "1 when the last fetch of the identity provider's JWKS succeeded, else 0 (only with OIDC configured).");
        _meter.CreateObservableCounter("mcp_idp_jwks_fetch_failures_total", ObserveJwksFetchFailures, description: "Failed fetches of the identity provider's JWKS (or discovery document) since start.");
        _meter.CreateObservableGauge("mcp_backend_mcp_up", () => Observe(_mcpBackends, "cluster", static health => health.McpUp ? 1 : 0), description: "1 when an MCP backend answered tools/list at its last probe, else 0 (clusters with Gateway.Mcp.Endpoint only).");
        _meter.CreateObservableGauge("mcp_backend_missing_tools", () => Observe(_mcpBackends, "cluster", static health => health.MissingTools), description: "Expected tools (Gateway.Mcp.ExpectedTools) an MCP backend did not list at its last probe.");

        var buildTags = new TagList
        {
            { "version", build.Version },
            { "commit", build.Commit },
            { "runtime", build.Runtime },
        };
        var buildMeasurement = new Measurement<int>(1, buildTags);
        _meter.CreateObservableGauge("mcp_gateway_build_info", () => buildMeasurement, description: "Build of the running gateway; always 1.");
    }

    /// <param name="server">The upstream MCP server of a federated tool; null (no <c>server</c> label) for REST tools.</param>
    public void RecordMcpRequest(string tool, bool succeeded, TimeSpan duration, string? server = null)
    {
        _mcpRequests.Add(1, WithServer(new TagList { { "tool", tool }, { "status", succeeded ? "ok" : "error" } }, server));
        _mcpRequestDuration.Record(duration.TotalSeconds, WithServer(new TagList { { "tool", tool } }, server));
    }

    /// <param name="server">The upstream MCP server of a federated tool; null (no <c>server</c> label) for REST tools.</param>
    public void RecordToolCall(string toolName, string? server = null) => _toolCalls.Add(1, WithServer(new TagList { { "tool_name", toolName } }, server));

    public void RecordAuthFailure(string reason) => _authFailures.Add(1, new TagList { { "reason", reason } });

    public void RecordRateLimited(string policy) => _rateLimited.Add(1, new TagList { { "policy", policy } });

    public void RecordValidationRejection(string validator) => _validationRejections.Add(1, new TagList { { "validator", validator } });

    public void RecordHttpRequest(int statusCode, TimeSpan duration)
    {
        var status = (uint)statusCode < StatusCodeLabels.Length
            ? StatusCodeLabels[statusCode]
            : statusCode.ToString(CultureInfo.InvariantCulture);
        _httpRequests.Add(1, new TagList { { "status", status } });
        _httpRequestDuration.Record(duration.TotalSeconds);
    }

    public void RecordAuditWritten(int count) => RecordAudit("written", count);

    public void RecordAuditForwarded(int count) => RecordAudit("forwarded", count);

    public void RecordAuditDropped(int count) => RecordAudit("dropped", count);

    /// <summary>Entries lost because neither forwarding nor the local file accepted them.</summary>
    public void RecordAuditFailed(int count) => RecordAudit("failed", count);

    /// <param name="transport"><c>streamable_http</c> or <c>sse</c>.</param>
    public void SessionsChanged(string transport, int delta) => _activeSessions.Add(delta, new TagList { { "transport", transport } });

    /// <param name="transport"><c>streamable_http</c> (GET /mcp) or <c>sse</c> (GET /sse).</param>
    public void StreamsChanged(string transport, int delta) => _activeStreams.Add(delta, new TagList { { "transport", transport } });

    public void RecordConfigReload(bool succeeded) =>
        _configReloads.Add(1, new TagList { { "result", succeeded ? "success" : "failure" } });

    /// <summary>Supplies cluster health at scrape time: key = cluster id, value = up.</summary>
    public void ObserveBackendUp(Func<IEnumerable<KeyValuePair<string, bool>>> clusters) => _backendUp = clusters;

    /// <summary>Supplies circuit breaker states at scrape time, keyed by cluster id.</summary>
    public void ObserveCircuitStates(Func<IEnumerable<KeyValuePair<string, CircuitStateCode>>> clusters) => _circuitStates = clusters;

    public void ObserveRedisAvailable(Func<bool> isAvailable) => _redisAvailable = isAvailable;

    /// <summary>Supplies the number of Redis outages since start at scrape time.</summary>
    public void ObserveRedisOutages(Func<long> outages) => _redisOutages = outages;

    /// <summary>Supplies API key expiries at scrape time, keyed by key id (never the key itself).</summary>
    public void ObserveApiKeyExpiry(Func<IEnumerable<KeyValuePair<string, DateTimeOffset>>> keys) => _apiKeyExpiry = keys;

    /// <summary>Supplies the identity provider's JWKS state at scrape time: last fetch succeeded, failures since start.</summary>
    public void ObserveIdentityProvider(Func<bool> jwksUp, Func<long> fetchFailures)
    {
        _jwksUp = jwksUp;
        _jwksFetchFailures = fetchFailures;
    }

    /// <summary>Supplies the last MCP probe of each MCP backend at scrape time, keyed by cluster id.</summary>
    public void ObserveMcpBackends(Func<IEnumerable<KeyValuePair<string, McpBackendHealth>>> clusters) => _mcpBackends = clusters;

    /// <summary>
    /// Publishes the alerted-on counter series at 0 (audit outcomes, reload results; and open sessions), so <c>increase()</c> sees the
    /// first event instead of a series that starts at 1. Call once the meter provider listens.
    /// </summary>
    public void PublishZeroSeries()
    {
        foreach (var outcome in (ReadOnlySpan<string>)["written", "forwarded", "dropped", "failed"])
        {
            _auditEvents.Add(0, new TagList { { "outcome", outcome } });
        }

        _configReloads.Add(0, new TagList { { "result", "success" } });
        _configReloads.Add(0, new TagList { { "result", "failure" } });
        _activeSessions.Add(0);
    }

    /// <summary>Publishes an authentication failure reason's series at 0, so the alert sees the first failure.</summary>
    public void PublishZeroAuthFailures(string reason) => _authFailures.Add(0, new TagList { { "reason", reason } });

    /// <summary>Publishes a rate-limit policy's series at 0, so the alert sees the first rejection.</summary>
    public void PublishZeroRateLimited(string policy) => _rateLimited.Add(0, new TagList { { "policy", policy } });

    /// <summary>Publishes a tool's request and call series at 0, so the error-rate alert sees its first error.</summary>
    /// <param name="server">As for <see cref="RecordMcpRequest"/>: the seeded series must carry the labels the real ones will.</param>
    public void PublishZeroSeries(string tool, string? server = null)
    {
        _mcpRequests.Add(0, WithServer(new TagList { { "tool", tool }, { "status", "ok" } }, server));
        _mcpRequests.Add(0, WithServer(new TagList { { "tool", tool }, { "status", "error" } }, server));
        _toolCalls.Add(0, WithServer(new TagList { { "tool_name", tool } }, server));
    }

    // REST tools keep the label sets they always had; only federated tools' series carry a server.
    private static TagList WithServer(TagList tags, string? server)
    {
        if (server is not null)
        {
            tags.Add("server", server);
        }

        return tags;
    }

    public void Dispose() => _meter.Dispose();

    private void RecordAudit(string outcome, int count)
    {
        if (count > 0)
        {
            _auditEvents.Add(count, new TagList { { "outcome", outcome } });
        }
    }

    private IEnumerable<Measurement<int>> ObserveRedis()
    {
        var source = _redisAvailable;
        if (source is null)
        {
            return [];
        }

        try
        {
            return [new Measurement<int>(source() ? 1 : 0)];
        }
        catch (Exception)
        {
            // A failing probe means "not available", and must not break the whole scrape.
            return [new Measurement<int>(0)];
        }
    }

    private IEnumerable<Measurement<int>> ObserveJwksUp() =>
        _jwksUp is { } source ? [new Measurement<int>(source() ? 1 : 0)] : [];

    private IEnumerable<Measurement<long>> ObserveJwksFetchFailures() =>
        _jwksFetchFailures is { } source ? [new Measurement<long>(source())] : [];

    private IEnumerable<Measurement<long>> ObserveRedisOutages() =>
        _redisOutages is { } source ? [new Measurement<long>(source())] : [];

    private static IEnumerable<Measurement<TValue>> Observe<TSource, TValue>(
        Func<IEnumerable<KeyValuePair<string, TSource>>>? source,
        string tagName,
        Func<TSource, TValue> toValue)
        where TValue : struct
    {
        if (source is null)
        {
            return [];
        }

        var measurements = new List<Measurement<TValue>>();
        try
        {
            foreach (var (key, value) in source())
            {
                measurements.Add(new Measurement<TValue>(toValue(value), new KeyValuePair<string, object?>(tagName, key)));
            }
        }
        catch (Exception)
        {
            // An integrator callback failing must not break the scrape of every other metric.
            return [];
        }

        return measurements;
    }

    private static string[] CreateStatusCodeLabels()
    {
        var labels = new string[600];
        for (var code = 0; code < labels.Length; code++)
        {
            labels[code] = code.ToString(CultureInfo.InvariantCulture);
        }

        return labels;
    }
}
