using Gateway.Proxy.Resilience;
using Gateway.Transforms.Pipeline;
using ModelContextProtocol;

namespace Gateway.Proxy.Federation.Resources;

/// <summary>
/// One try at an upstream's resource, prompt or completion request, run by <see cref="UpstreamResilience"/> like a tool
/// call's attempt and classified the same way: an answer (also the upstream's own error for an unknown URI or bad
/// arguments, or one over the result cap) completes it; a connection failure, a 5xx, an internal error or the route
/// timeout is a backend failure. These requests only read, so they are retry-safe on connection failures.
/// </summary>
internal sealed class UpstreamRequestAttempt<T> : IUpstreamAttempt
{
    private const int MaxUpstreamMessageLength = 500;

    private readonly UpstreamSession _session;
    private readonly HttpContext _caller;
    private readonly UpstreamRequest _request;
    private readonly Func<UpstreamSession, UpstreamCall, CancellationToken, Task<T>> _send;
    private readonly long _resultLimit;
    private readonly string _where;

    /// <param name="where">Where operators can look, appended to an unreachable upstream's message.</param>
    public UpstreamRequestAttempt(
        UpstreamSession session, HttpContext caller, UpstreamRequest request, Func<UpstreamSession, UpstreamCall, CancellationToken, Task<T>> send,
        long resultLimit, string where)
    {
        _session = session;
        _caller = caller;
        _request = request;
        _send = send;
        _resultLimit = resultLimit;
        _where = where;
    }

    public bool RetrySafe => true;

    /// <summary>The answer of the last attempt, when it had one.</summary>
    public T? Result { get; private set; }

    /// <summary>How the last attempt failed, as the JSON-RPC error for the caller and the status and code for the audit.</summary>
    public UpstreamRequestFailure? Failure { get; private set; }

    public async Task<AttemptKind> RunAsync(UpstreamDeadline deadline)
    {
        Failure = null;
        var cap = new UpstreamResultCap(_resultLimit);
        try
        {
            Result = await _send(_session, new UpstreamCall(_caller, cap), deadline.Token);
            return AttemptKind.Completed;
        }
        catch (Exception) when (cap.Exceeded)
        {
            Failure = UpstreamRequestFailure.Of(StatusCodes.Status502BadGateway, GatewayErrorCodes.ResultTooLarge,
                $"{_request.Subject}: the answer of upstream MCP server '{_request.Server}' is larger than the gateway's limit of {cap.Limit} bytes.");
            return AttemptKind.Completed;
        }
        catch (OperationCanceledException) when (deadline.TimedOut)
        {
            Failure = TimedOut(_request);
            return AttemptKind.Timeout;
        }
        catch (McpProtocolException ex)
        {
            // The upstream answered with an error of its own (an unknown URI, bad arguments): relayed with its code.
            var code = ex.ErrorCode is McpErrorCode.InvalidParams or McpErrorCode.ResourceNotFound ? GatewayErrorCodes.BackendRejected : GatewayErrorCodes.BackendError;
            Failure = new UpstreamRequestFailure(StatusCodes.Status502BadGateway, code,
                new McpProtocolException($"upstream MCP server '{_request.Server}' answered {_request.Subject} with error {(int)ex.ErrorCode}: {Truncate(ex.Message)}", ex.ErrorCode));
            return UpstreamTransportFailure.KindOf(ex);
        }
        catch (Exception ex) when (UpstreamTransportFailure.Is(ex, deadline))
        {
            Failure = UpstreamRequestFailure.Of(StatusCodes.Status502BadGateway, GatewayErrorCodes.BackendUnavailable,
                $"{_request.Subject} could not reach upstream MCP server '{_request.Server}' ({UpstreamTransportFailure.Reason(ex)}). Retry later{_where}.");
            return UpstreamTransportFailure.KindOf(ex);
        }
    }

    public static UpstreamRequestFailure TimedOut(UpstreamRequest request) =>
        UpstreamRequestFailure.Of(StatusCodes.Status504GatewayTimeout, GatewayErrorCodes.ToolTimeout,
            $"{request.Subject} timed out waiting for upstream MCP server '{request.Server}'. Retry later.");

    private static string Truncate(string text) => text.Length <= MaxUpstreamMessageLength ? text : text[..MaxUpstreamMessageLength] + "…";
}

/// <summary>A failed upstream request: the JSON-RPC error the caller gets, and the status and error code it is audited with.</summary>
internal sealed record UpstreamRequestFailure(int Status, string Code, McpProtocolException Exception)
{
    /// <summary>A failure of the gateway's own (<c>-32000</c>, the message starting with the code, the code in its data).</summary>
    public static UpstreamRequestFailure Of(int status, string code, string message)
    {
        var exception = new McpProtocolException($"{code}: {message}", (McpErrorCode)Mcp.JsonRpcErrors.ServerError);
        exception.Data["code"] = code;
        return new UpstreamRequestFailure(status, code, exception);
    }
}
