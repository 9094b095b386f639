using Gateway.Proxy.Resilience;
using ModelContextProtocol;

namespace Gateway.Proxy.Federation;

/// <summary>
/// How a failure to get an answer from an upstream counts, the same for tool calls and resource, prompt and completion
/// requests: nothing sent (no destination, no credential) says nothing about the upstream; a 5xx is a backend failure;
/// anything else on the way (refused, reset, lost) is a connection failure.
/// </summary>
internal static class UpstreamTransportFailure
{
    /// <summary>An exception that means the upstream could not be reached (not the caller leaving, not an answer).</summary>
    public static bool Is(Exception exception, UpstreamDeadline deadline) =>
        exception is HttpRequestException or IOException or McpException or ObjectDisposedException
        && exception is not McpProtocolException
        && !deadline.CallerGone;

    public static AttemptKind KindOf(Exception exception) => exception switch
    {
        UpstreamUnavailableException => AttemptKind.NotSent,
        HttpRequestException { StatusCode: { } status } when (int)status >= 500 => AttemptKind.BackendFailure,
        _ => AttemptKind.ConnectionFailure,
    };

    /// <summary>What to tell the caller about it.</summary>
    public static string Reason(Exception exception) =>
        exception is UpstreamUnavailableException ? exception.Message : "connection failed, was refused or was lost";

    /// <summary>An upstream's own JSON-RPC error: an internal error is its failure; anything else (bad params, unknown URI) is an answer.</summary>
    public static AttemptKind KindOf(McpProtocolException exception) =>
        exception.ErrorCode == McpErrorCode.InternalError ? AttemptKind.BackendFailure : AttemptKind.Completed;
}
