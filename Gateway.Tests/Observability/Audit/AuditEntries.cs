using System.Text.Json;
using Gateway.Proxy.Observability.Audit;

namespace Gateway.Tests.Observability.Audit;

internal static class AuditEntries
{
    public static readonly string ArgumentsHash = HashOf("""{"text":"hello"}""");

    public static AuditEntry Create(string requestId) => new()
    {
        Timestamp = new DateTimeOffset(2025, 1, 2, 3, 4, 5, 678, TimeSpan.Zero),
        RequestId = requestId,
        User = "alice",
        Tenant = "acme",
        Method = "tools/call",
        Tool = "echo",
        Status = AuditStatus.Ok,
        LatencyMs = 3,
        ArgumentsSha256 = ArgumentsHash,
    };

    private static string HashOf(string json)
    {
        using var document = JsonDocument.Parse(json);
        return AuditHashing.HashArguments(document.RootElement);
    }
}
