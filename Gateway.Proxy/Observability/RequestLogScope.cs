using System.Collections;
using System.Diagnostics;

namespace Gateway.Proxy.Observability;

/// <summary>
/// Logging scope whose two properties (<c>RequestId</c>, <c>TraceId</c>) Serilog attaches to every line of the request.
/// The trace id is formatted only when a line is written: most requests write none.
/// </summary>
public sealed class RequestLogScope(string requestId, ActivityTraceId? traceId) : IReadOnlyList<KeyValuePair<string, object?>>
{
    private string? _traceId;

    private string? TraceId => traceId is { } id ? _traceId ??= id.ToHexString() : null;

    public int Count => 2;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("RequestId", requestId),
        1 => new("TraceId", TraceId),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
        yield return this[1];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"RequestId:{requestId} TraceId:{TraceId}";
}
