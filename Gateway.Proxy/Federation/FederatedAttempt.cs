using Gateway.Proxy.Resilience;
using Gateway.Proxy.Tools;
using Gateway.Proxy.Tools.ResultSize;
using Gateway.Transforms.Federation;
using Gateway.Transforms.Pipeline;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using Polly;

namespace Gateway.Proxy.Federation;

/// <summary>
/// One federated call's way to its upstream, run once per attempt by the cluster's resilience pipeline (the same retry
/// budget and circuit breaker REST calls of the cluster go through). Each attempt is classified like a forwarded REST
/// attempt: the upstream answering (a result, isError or not; a JSON-RPC error other than an internal error; an answer
/// over the result cap) completes it; a connection failure, a 5xx, an internal error or the route timeout is a backend
/// failure; a request that was never sent (no available destination, no credential) says nothing about the upstream.
/// </summary>
internal sealed class FederatedAttempt
{
    private const int MaxUpstreamMessageLength = 500;

    private readonly UpstreamSession _session;
    private readonly ToolBackendCall _call;
    private readonly UpstreamToolTarget _target;
    private readonly long _resultLimit;
    private readonly CancellationTokenSource _deadline;
    private readonly bool _retrySafe;

    public FederatedAttempt(UpstreamSession session, ToolBackendCall call, UpstreamToolTarget target, long resultLimit, CancellationTokenSource deadline)
    {
        _session = session;
        _call = call;
        _target = target;
        _resultLimit = resultLimit;
        _deadline = deadline;
        _retrySafe = call.Tool.IsRetrySafe;
    }

    public int Attempts { get; private set; }

    /// <summary>What the last attempt ended with.</summary>
    public ToolBackendResult Result { get; private set; }

    public bool TimedOut => _deadline.IsCancellationRequested && !_call.CancellationToken.IsCancellationRequested;

    public static ValueTask<Outcome<AttemptResult>> RunAsync(ResilienceContext _, FederatedAttempt attempt) => attempt.RunAsync();

    public ToolBackendResult TimeoutResult() => Failure(GatewayErrorCodes.ToolTimeout, StatusCodes.Status504GatewayTimeout,
        $"tool '{_call.Tool.Name}' timed out waiting for upstream MCP server '{_target.Server}'. The call may or may not have taken effect; retry only if the tool is idempotent.");

    public static ToolBackendResult Failure(string code, int status, string message) =>
        new(new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = $"{code}: {message}" }] }, code, status);

    private async ValueTask<Outcome<AttemptResult>> RunAsync()
    {
        Attempts++;
        var (result, kind) = await SendAsync();
        Result = result;
        return Outcome.FromResult(new AttemptResult(kind, _retrySafe));
    }

    private async Task<(ToolBackendResult, AttemptKind)> SendAsync()
    {
        var cap = new UpstreamResultCap(_resultLimit);
        var tool = _call.Tool.Name;
        try
        {
            var result = await _session.CallToolAsync(new UpstreamCall(_call.Caller, cap), _target.ToolName, _call.Call.Arguments, _deadline.Token);
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
        catch (OperationCanceledException) when (TimedOut)
        {
            return (TimeoutResult(), AttemptKind.Timeout);
        }
        catch (McpProtocolException ex)
        {
            var code = ex.ErrorCode == McpErrorCode.InvalidParams ? GatewayErrorCodes.BackendRejected : GatewayErrorCodes.BackendError;
            var kind = ex.ErrorCode == McpErrorCode.InternalError ? AttemptKind.BackendFailure : AttemptKind.Completed;
            return (Failure(code, StatusCodes.Status502BadGateway,
                $"upstream MCP server '{_target.Server}' answered tool '{tool}' with error {(int)ex.ErrorCode}: {Truncate(ex.Message)}"), kind);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or McpException or ObjectDisposedException && !_call.CancellationToken.IsCancellationRequested)
        {
            var reason = ex is UpstreamUnavailableException ? ex.Message : "connection failed, was refused or was lost";
            var kind = ex switch
            {
                UpstreamUnavailableException => AttemptKind.NotSent,
                HttpRequestException { StatusCode: { } status } when (int)status >= 500 => AttemptKind.BackendFailure,
                _ => AttemptKind.ConnectionFailure,
            };
            return (Failure(GatewayErrorCodes.BackendUnavailable, StatusCodes.Status502BadGateway,
                $"tool '{tool}' could not reach upstream MCP server '{_target.Server}' ({reason}). Retry later{Where()}."), kind);
        }
    }

    private string Where() => _session.RunsProcess ? string.Empty : $"; operators can check /status/servers/{_call.Tool.ClusterId}";

    private static long SerializedBytes(CallToolResult result) =>
        System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(result, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(CallToolResult))).LongLength;

    private static string Truncate(string text) => text.Length <= MaxUpstreamMessageLength ? text : text[..MaxUpstreamMessageLength] + "…";
}
