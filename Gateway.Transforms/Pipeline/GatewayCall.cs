using System.Text.Json;
using Gateway.Transforms.Catalog;
using Gateway.Transforms.Mapping;
using Microsoft.AspNetCore.Http;

namespace Gateway.Transforms.Pipeline;

/// <summary>
/// One call through the gateway, whatever its entry point: a tool call (MCP or the REST facade) or a REST request on a
/// passthrough route. The call pipeline decides on it once; transforms and the resilience layer, which run per
/// backend attempt inside YARP, find it on the HttpContext that carries the call to the backend.
/// </summary>
public sealed class GatewayCall
{
    private JsonElement _arguments;
    private List<string>? _securityFlags;
    private IReadOnlyList<KeyValuePair<string, string>>? _responseHeaders;
    private bool _requestRetrySafe;

    private GatewayCall(CallEntryPoint entryPoint, ToolDefinition? tool, JsonElement arguments)
    {
        EntryPoint = entryPoint;
        Tool = tool;
        _arguments = arguments;
    }

    public static GatewayCall ForTool(ToolDefinition tool, JsonElement arguments, CallEntryPoint entryPoint) => new(entryPoint, tool, arguments);

    public static GatewayCall ForPassthrough(HttpRequest request) =>
        new(CallEntryPoint.Passthrough, null, default) { _requestRetrySafe = IsSafeToRepeat(request) };

    /// <summary>
    /// An MCP request for an upstream's resource, prompt or completion, decided on like a call of a tool: <paramref name="target"/>
    /// stands for it on the upstream's route (see <see cref="UpstreamMethod"/>).
    /// </summary>
    public static GatewayCall ForUpstreamRequest(ToolDefinition target, JsonElement arguments, string method) =>
        new(CallEntryPoint.Mcp, target, arguments) { UpstreamMethod = method };

    /// <summary>The MCP method of a federated request that is not a tool call (<c>resources/read</c>, <c>prompts/get</c>…); null otherwise.</summary>
    public string? UpstreamMethod { get; private init; }

    public CallEntryPoint EntryPoint { get; }

    /// <summary>The tool being called; null for a passthrough request.</summary>
    public ToolDefinition? Tool { get; }

    /// <summary>
    /// A tool call's arguments: always a JSON object (an empty one when the client sent none). Validating transforms may
    /// replace an argument with its canonical form (e.g. a resolved path), so the backend receives what was checked.
    /// </summary>
    public JsonElement Arguments
    {
        get => _arguments;
        set
        {
            _arguments = value;
            BoundRequest = null;
        }
    }

    /// <summary>
    /// The backend request built from <see cref="Arguments"/> before resilience starts, so bad arguments are refused
    /// without touching the cluster's breaker. Replacing the arguments discards it.
    /// </summary>
    public BoundToolRequest? BoundRequest { get; set; }

    /// <summary>True once the call pipeline's steps have allowed the call; what runs inside YARP then only forwards.</summary>
    public bool IsAdmitted { get; private set; }

    /// <summary>The first rejection of the call (a step, a validating transform or the resilience layer), if any.</summary>
    public GatewayRejection? Rejection { get; private set; }

    public IReadOnlyList<string> SecurityFlags => (IReadOnlyList<string>?)_securityFlags ?? [];

    /// <summary>Headers for the caller's own response that steps decided on (e.g. rate-limit state).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders => _responseHeaders ?? [];

    /// <summary>
    /// Safe to send again after a connection failure. A tool call's request is rebuilt from the arguments for every
    /// attempt, so a tool that says it only reads or is idempotent may be repeated. A passthrough request may be only
    /// without a body (the first attempt consumes the inbound stream) and only with a method safe by definition.
    /// </summary>
    public bool IsRetrySafe => Tool?.IsRetrySafe ?? _requestRetrySafe;

    public void Admit() => IsAdmitted = true;

    /// <summary>Records a rejection; the first one stands.</summary>
    public void Reject(GatewayRejection rejection)
    {
        if (Rejection is not null)
        {
            return;
        }

        Rejection = rejection;
        if (rejection.SecurityFlag is { } flag)
        {
            AddSecurityFlag(flag);
        }
    }

    private static bool IsSafeToRepeat(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
        && request.ContentLength is null or 0
        && !request.Headers.ContainsKey("Transfer-Encoding");

    public void AddSecurityFlag(string flag) => (_securityFlags ??= new List<string>(2)).Add(flag);

    /// <summary>Steps hand over a list of their own: usually one step (rate limiting) adds headers, and its list is kept as it is.</summary>
    public void AddResponseHeaders(IReadOnlyList<KeyValuePair<string, string>> headers) =>
        _responseHeaders = _responseHeaders is null ? headers : [.. _responseHeaders, .. headers];
}
