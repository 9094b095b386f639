using Gateway.Proxy.Resilience;
using Gateway.Proxy.Tools;
using Gateway.Transforms.Pipeline;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Gateway.Proxy.Federation;

/// <summary>
/// Sends an admitted federated tool call to its upstream MCP server (<c>tools/call</c> on the gateway's session with it,
/// within the route's timeout) and relays the upstream's result as it came: every content block, structuredContent,
/// _meta and isError. Failures to reach the upstream become <c>isError</c> results naming the tool and the server, as
/// a REST backend's do.
/// </summary>
public sealed class FederatedToolBackend : IToolBackend
{
    private const int MaxUpstreamMessageLength = 500;

    private readonly UpstreamRegistry _upstreams;
    private readonly RouteTimeouts _timeouts;

    public FederatedToolBackend(UpstreamRegistry upstreams, RouteTimeouts timeouts)
    {
        _upstreams = upstreams;
        _timeouts = timeouts;
    }

    public async Task<ToolBackendResult> SendAsync(ToolBackendCall call)
    {
        var target = call.Tool.Upstream ?? throw new InvalidOperationException($"Tool '{call.Tool.Name}' is not a federated tool.");
        if (!_upstreams.TryGetSession(target.Server, out var session))
        {
            return Failure(GatewayErrorCodes.BackendUnavailable, StatusCodes.Status502BadGateway,
                $"upstream MCP server '{target.Server}' of tool '{call.Tool.Name}' is not configured any more. Call tools/list for the current tools.");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(call.CancellationToken);
        if (_timeouts.For(call.Route) is { } limit)
        {
            timeout.CancelAfter(limit);
        }

        try
        {
            var result = await session.CallToolAsync(call.Caller, target.ToolName, call.Call.Arguments, timeout.Token);
            return new ToolBackendResult(result, result.IsError == true ? GatewayErrorCodes.BackendRejected : null, StatusCodes.Status200OK);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !call.CancellationToken.IsCancellationRequested)
        {
            return Failure(GatewayErrorCodes.ToolTimeout, StatusCodes.Status504GatewayTimeout,
                $"tool '{call.Tool.Name}' timed out waiting for upstream MCP server '{target.Server}'. The call may or may not have taken effect; retry only if the tool is idempotent.");
        }
        catch (McpProtocolException ex)
        {
            var code = ex.ErrorCode == McpErrorCode.InvalidParams ? GatewayErrorCodes.BackendRejected : GatewayErrorCodes.BackendError;
            return Failure(code, StatusCodes.Status502BadGateway,
                $"upstream MCP server '{target.Server}' answered tool '{call.Tool.Name}' with error {(int)ex.ErrorCode}: {Truncate(ex.Message)}");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or McpException or ObjectDisposedException && !call.CancellationToken.IsCancellationRequested)
        {
            var reason = ex is UpstreamUnavailableException ? ex.Message : "connection failed, was refused or was lost";
            return Failure(GatewayErrorCodes.BackendUnavailable, StatusCodes.Status502BadGateway,
                $"tool '{call.Tool.Name}' could not reach upstream MCP server '{target.Server}' ({reason}). Retry later; operators can check /status/servers/{call.Tool.ClusterId}.");
        }
    }

    private static ToolBackendResult Failure(string code, int status, string message) =>
        new(new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = $"{code}: {message}" }] }, code, status);

    private static string Truncate(string text) => text.Length <= MaxUpstreamMessageLength ? text : text[..MaxUpstreamMessageLength] + "…";
}
