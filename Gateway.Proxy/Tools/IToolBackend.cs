using Gateway.Transforms.Catalog;
using Gateway.Transforms.Pipeline;
using ModelContextProtocol.Protocol;
using Yarp.ReverseProxy.Model;

namespace Gateway.Proxy.Tools;

/// <summary>
/// Where an admitted tool call goes: a REST backend through its route's YARP pipeline, or an upstream MCP server.
/// The dispatcher decides, observes and renders every call the same way; only this step differs by backend kind.
/// </summary>
public interface IToolBackend
{
    /// <summary>
    /// Sends the call and returns the tool's result. A refusal that happens on the way (e.g. the circuit breaker) is
    /// left on <see cref="GatewayCall.Rejection"/> instead.
    /// </summary>
    Task<ToolBackendResult> SendAsync(ToolBackendCall call);
}

/// <param name="Caller">The caller's own request: identity, request id, connection.</param>
/// <param name="Endpoint">The YARP endpoint of the tool's route.</param>
public readonly record struct ToolBackendCall(HttpContext Caller, ToolDefinition Tool, GatewayCall Call, Endpoint Endpoint, RouteModel Route, CancellationToken CancellationToken);

/// <param name="ErrorCode">The gateway error code of a failed call (audit, metrics, the REST facade's status).</param>
/// <param name="StatusCode">The backend's HTTP status, or the one the gateway stands for (502 unreachable, 504 timeout).</param>
public readonly record struct ToolBackendResult(CallToolResult Result, string? ErrorCode, int StatusCode);

/// <summary>Picks the backend of a tool: the one place where REST and federated tools part ways.</summary>
public sealed class ToolBackends
{
    private readonly RestToolBackend _rest;
    private readonly Federation.FederatedToolBackend _federated;

    public ToolBackends(RestToolBackend rest, Federation.FederatedToolBackend federated)
    {
        _rest = rest;
        _federated = federated;
    }

    public IToolBackend For(ToolDefinition tool) => tool.Upstream is null ? _rest : _federated;
}
