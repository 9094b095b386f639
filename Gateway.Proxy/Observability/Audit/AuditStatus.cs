namespace Gateway.Proxy.Observability.Audit;

/// <summary>Values of <see cref="AuditEntry.Status"/>.</summary>
public static class AuditStatus
{
    public const string Ok = "ok";
    public const string Error = "error";
}
