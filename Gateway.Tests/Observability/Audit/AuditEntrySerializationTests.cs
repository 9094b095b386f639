using System.Text.Json;
using Gateway.Proxy.Observability.Audit;

namespace Gateway.Tests.Observability.Audit;

public sealed class AuditEntrySerializationTests
{
    [Test]
    public void Serialize_FullEntry_WritesSnakeCaseFieldsInOrder()
    {
        var entry = AuditEntries.Create("req-1") with { Route = "mcp", Cluster = "tools", HttpStatus = 200 };

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(entry, AuditJsonContext.Default.AuditEntry));

        Assert.That(json.RootElement.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[]
        {
            "timestamp", "type", "request_id", "user", "tenant", "method", "tool", "status", "error",
            "latency_ms", "security_flags", "arguments_sha256", "route", "cluster", "http_status",
        }));
    }

    [Test]
    public void Serialize_Entry_WritesExactValues()
    {
        var entry = AuditEntries.Create("req-2") with
        {
            Timestamp = new DateTimeOffset(2025, 3, 4, 7, 8, 9, 45, TimeSpan.FromHours(2)),
            Status = AuditStatus.Error,
            Error = "upstream_timeout",
            LatencyMs = 12.5,
            SecurityFlags = ["prompt_injection", "pii"],
        };

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(entry, AuditJsonContext.Default.AuditEntry));
        var root = json.RootElement;

        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("timestamp").GetString(), Is.EqualTo("2025-03-04T05:08:09.045Z"));
            Assert.That(root.GetProperty("type").GetString(), Is.EqualTo("mcp_request"));
            Assert.That(root.GetProperty("request_id").GetString(), Is.EqualTo("req-2"));
            Assert.That(root.GetProperty("user").GetString(), Is.EqualTo("alice"));
            Assert.That(root.GetProperty("tenant").GetString(), Is.EqualTo("acme"));
            Assert.That(root.GetProperty("method").GetString(), Is.EqualTo("tools/call"));
            Assert.That(root.GetProperty("tool").GetString(), Is.EqualTo("echo"));
            Assert.That(root.GetProperty("status").GetString(), Is.EqualTo("error"));
            Assert.That(root.GetProperty("error").GetString(), Is.EqualTo("upstream_timeout"));
            Assert.That(root.GetProperty("latency_ms").GetDouble(), Is.EqualTo(12.5));
            Assert.That(root.GetProperty("security_flags").EnumerateArray().Select(f => f.GetString()), Is.EqualTo(new[] { "prompt_injection", "pii" }));
            Assert.That(root.GetProperty("arguments_sha256").GetString(), Is.EqualTo(AuditEntries.ArgumentsHash));
        });
    }

    [Test]
    public void Serialize_OkEntryWithoutOptionalFields_KeepsNullErrorAndOmitsOptionals()
    {
        var entry = AuditEntries.Create("req-3");

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(entry, AuditJsonContext.Default.AuditEntry));
        var root = json.RootElement;

        Assert.That(root.GetProperty("error").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(root.TryGetProperty("route", out _), Is.False);
        Assert.That(root.TryGetProperty("cluster", out _), Is.False);
        Assert.That(root.TryGetProperty("http_status", out _), Is.False);
    }
}
