using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Proxy.Observability.Audit;

namespace Gateway.Tests.Observability.Audit;

public sealed class AuditEntryBoundsTests
{
    [Test]
    public void Apply_HugeCallerFields_AreCutWithAMarkerAndTheLineStaysSmallValidJson()
    {
        var huge = new string('x', 300 * 1024);
        var entry = Entry() with { Tool = huge, Error = huge, User = huge, Tenant = huge, Method = "http " + huge, RequestId = huge, Route = huge };

        var line = Serialize(AuditEntryBounds.Apply(entry));
        var parsed = JsonNode.Parse(line)!;

        Assert.Multiple(() =>
        {
            Assert.That(Encoding.UTF8.GetByteCount(line), Is.LessThanOrEqualTo(AuditEntryBounds.MaxLineBytes));
            Assert.That((string?)parsed["tool"], Does.StartWith(new string('x', AuditEntryBounds.MaxToolChars)).And.EndWith("…[truncated, 307200 chars]"));
            Assert.That((string?)parsed["user"], Does.Contain("truncated"));
        });
    }

    [Test]
    public void Apply_LoneSurrogateInToolName_StillSerializes()
    {
        var entry = Entry() with { Tool = "bad\uD800name" };

        var line = Serialize(AuditEntryBounds.Apply(entry));

        Assert.That((string?)JsonNode.Parse(line)!["tool"], Is.EqualTo("bad\uFFFDname"));
    }

    [Test]
    public void Apply_FieldsWithinBounds_ReturnTheSameEntry()
    {
        var entry = Entry();

        Assert.That(AuditEntryBounds.Apply(entry), Is.SameAs(entry));
    }

    [Test]
    public void Compact_ControlCharacterFields_KeepTheLineUnderTheBound()
    {
        var escaped = new string('\u0001', 256);
        var flags = Enumerable.Range(0, 64).Select(_ => new string('\u0002', 64)).ToArray();
        var entry = Entry() with { Tool = escaped, Error = escaped, User = escaped, Tenant = escaped, Route = escaped, Cluster = escaped, SecurityFlags = flags };

        var bounded = Serialize(AuditEntryBounds.Apply(entry));
        var compact = Serialize(AuditEntryBounds.Compact(AuditEntryBounds.Apply(entry)));

        Assert.Multiple(() =>
        {
            Assert.That(Encoding.UTF8.GetByteCount(bounded), Is.GreaterThan(AuditEntryBounds.MaxLineBytes), "the field bounds alone are not enough here");
            Assert.That(Encoding.UTF8.GetByteCount(compact), Is.LessThanOrEqualTo(AuditEntryBounds.MaxLineBytes));
        });
    }

    private static AuditEntry Entry() => new()
    {
        Timestamp = DateTimeOffset.UnixEpoch,
        RequestId = "req-1",
        Method = "tools/call",
        Tool = "search",
        Status = AuditStatus.Error,
        Error = "ToolNotFound",
    };

    private static string Serialize(AuditEntry entry) => JsonSerializer.Serialize(entry, AuditJsonContext.Default.AuditEntry);
}
