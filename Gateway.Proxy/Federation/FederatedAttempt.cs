using Gateway.Proxy.Resilience;
using Gateway.Proxy.Tools;
using Gateway.Proxy.Tools.ResultSize;
using Gateway.Transforms.Federation;
using Gateway.Transforms.Pipeline;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Gateway.Proxy.Federation;

/// <summary>
/// One federated tool call's way to its upstream, run once per attempt by <see cref="UpstreamResilience"/> (the same
/// retry budget and circuit breaker REST calls of the cluster go through). Each attempt is classified like a forwarded
/// REST attempt: the upstream answering (a result, isError or not; a JSON-RPC error other than an internal error; an
/// answer over the result cap) completes it; a connection failure, a 5xx, an internal error or the route timeout is a
/// backend failure; a request that was never sent (no available destination, no credential) says nothing about the upstream.
/// </summary>
internal sealed class FederatedAttempt : IUpstreamAttempt
{
    private const int MaxUpstreamMessageLength = 500;

    private readonly UpstreamSession _session;
    private readonly ToolBackendCall _call;
    private readonly UpstreamToolTarget _target;
    private readonly long _resultLimit;

    public FederatedAttempt(UpstreamSession session, ToolBackendCall call, UpstreamToolTarget target, long resultLimit)
    {
        _session = session;
        _call = call;
        _target = target;
        _resultLimit = resultLimit;
        RetrySafe = call.Tool.IsRetrySafe;
    }

    public bool RetrySafe { get; }

    /// <summary>What the last attempt ended with.</summary>
    public ToolBackendResult Result { get; private set; }

    public ToolBackendResult TimeoutResult() => Failure(GatewayErrorCodes.ToolTimeout, StatusCodes.Status504GatewayTimeout,
        $"tool '{_call.Tool.Name}' timed out waiting for upstream MCP server '{_target.Server}'. The call may or may not have taken effect; retry only if the tool is idempotent.");

    public static ToolBackendResult Failure(string code, int status, string message) =>
        new(new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = $"{code}: {message}" }] }, code, status);

    public async Task<AttemptKind> RunAsync(UpstreamDeadline deadline)
    {
        var (result, kind) = await SendAsync(deadline);
        Result = result;
        return kind;
    }

    private async Task<(ToolBackendResult, AttemptKind)> SendAsync(UpstreamDeadline deadline)
    {
        var cap = new UpstreamResultCap(_resultLimit);
        var tool = _call.Tool.Name;
        try
        {
            var result = await _session.CallToolAsync(new UpstreamCall(_call.Caller, cap), _target.ToolName, _call.Call.Arguments, deadline.Token);
            Resources.UpstreamContentUris.Expose(_session.Upstream, result);
            if (!_session.CapsWhileReading && SerializedBytes(result) is var size && size > _resultLimit)
            {
                // Over stdio the SDK reads each message whole, so the serialized result is measured instead.
                var rejection = ResultTooLargeRejection.Create(tool, size, size, _resultLimit);
                _call.Call.Reject(rejection);
                return (Failure(rejection.Code, rejection.StatusCode, rejection.Message), AttemptKind.Completed);
            }

            return (new ToolBackendResult(result, result.IsError == true ? GatewayErrorCodes.BackendRejected : null, StatusCodes.Status200OK), AttemptKind.Completed);
        }
        catch (Exception) when (cap.Exceeded)
        {
            var rejection = ResultTooLargeRejection.Create(tool, cap.DeclaredBytes, cap.ReceivedBytes, cap.Limit);
            _call.Call.Reject(rejection);
            return (Failure(rejection.Code, rejection.StatusCode, rejection.Message), AttemptKind.Completed);
        }
        catch (OperationCanceledException) when (deadline.TimedOut)
        {
            return (TimeoutResult(), AttemptKind.Timeout);
        }
        catch (McpProtocolException ex)
        {
            var code = ex.ErrorCode == McpErrorCode.InvalidParams ? GatewayErrorCodes.BackendRejected : GatewayErrorCodes.BackendError;
            return (Failure(code, StatusCodes.Status502BadGateway,
                $"upstream MCP server '{_target.Server}' answered tool '{tool}' with error {(int)ex.ErrorCode}: {Truncate(ex.Message)}"), UpstreamTransportFailure.KindOf(ex));
        }
        catch (Exception ex) when (UpstreamTransportFailure.Is(ex, deadline))
        {
            return (Failure(GatewayErrorCodes.BackendUnavailable, StatusCodes.Status502BadGateway,
                $"tool '{tool}' could not reach upstream MCP server '{_target.Server}' ({UpstreamTransportFailure.Reason(ex)}). Retry later{Where()}."),
                UpstreamTransportFailure.KindOf(ex));
        }
    }

    private string Where() => _session.RunsProcess ? string.Empty : $"; operators can check /status/servers/{_call.Tool.ClusterId}";

    private static long SerializedBytes(CallToolResult result) =>
        System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(result, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(CallToolResult))).LongLength;

    private static string Truncate(string text) => text.Length <= MaxUpstreamMessageLength ? text : text[..MaxUpstreamMessageLength] + "…";
}
