namespace Gateway.Proxy.Observability.Audit;

/// <summary>Accepts audit entries from request handling without ever blocking it.</summary>
public interface IAuditSink
{
    /// <returns>False when the entry was dropped (queue full or trail stopped); the drop is counted and logged.</returns>
    bool TryWrite(AuditEntry entry);
}
