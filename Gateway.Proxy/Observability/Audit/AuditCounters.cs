namespace Gateway.Proxy.Observability.Audit;

/// <summary>
/// What became of the entries given to <see cref="IAuditSink.TryWrite"/>. Once the queue is drained,
/// <c>Submitted == Forwarded + Written + Dropped + Failed</c>.
/// </summary>
/// <param name="Submitted">Every <see cref="IAuditSink.TryWrite"/> call.</param>
/// <param name="Forwarded">Accepted by the audit service.</param>
/// <param name="Written">Appended to the local JSONL file (including forwarding fallbacks).</param>
/// <param name="Dropped">Rejected because the queue was full or the trail had stopped.</param>
/// <param name="Failed">Lost because they could not be serialized or the local file could not be written.</param>
public readonly record struct AuditCounters(long Submitted, long Forwarded, long Written, long Dropped, long Failed)
{
    public long Pending => Submitted - Forwarded - Written - Dropped - Failed;
}
