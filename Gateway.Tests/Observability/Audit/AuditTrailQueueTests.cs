using Gateway.Proxy.Observability.Audit;

namespace Gateway.Tests.Observability.Audit;

[CancelAfter(60_000)]
public sealed class AuditTrailQueueTests
{
    private AuditTrailHarness _harness = null!;

    [SetUp]
    public void CreateHarness() => _harness = new AuditTrailHarness();

    [TearDown]
    public void DeleteFiles() => _harness.Dispose();

    [Test]
    public async Task TryWrite_QueueFull_DropsWithoutBlockingAndCounts()
    {
        using var trail = _harness.Create(_harness.Options(o => o.QueueCapacity = 2));

        // Not started yet, so nothing drains the queue.
        var accepted = Enumerable.Range(1, 5).Select(i => trail.TryWrite(AuditEntries.Create($"r{i}"))).ToArray();

        Assert.That(accepted, Is.EqualTo(new[] { true, true, false, false, false }));
        Assert.That(trail.Counters.Dropped, Is.EqualTo(3));

        await trail.StartAsync(CancellationToken.None);
        await trail.StopAsync(CancellationToken.None);

        Assert.That(trail.Counters, Is.EqualTo(new AuditCounters(5, 0, 2, 3, 0)));
        Assert.That(AuditTrailHarness.RequestIds(await AuditTrailHarness.ReadLinesAsync(_harness.LogPath)), Is.EqualTo(new[] { "r1", "r2" }));
    }

    [Test]
    public async Task StopAsync_WithQueuedEntries_DrainsEveryEntry()
    {
        const int count = 5_000;
        using var trail = _harness.Create(_harness.Options(o => o.QueueCapacity = count));
        await trail.StartAsync(CancellationToken.None);

        for (var i = 0; i < count; i++)
        {
            trail.TryWrite(AuditEntries.Create($"r{i}"));
        }

        await trail.StopAsync(CancellationToken.None);

        Assert.That(trail.Counters.Written, Is.EqualTo(count));
        Assert.That(trail.Counters.Pending, Is.Zero);
        var ids = AuditTrailHarness.RequestIds(await AuditTrailHarness.ReadLinesAsync(_harness.LogPath));
        Assert.That(ids, Is.EqualTo(Enumerable.Range(0, count).Select(i => $"r{i}")));
    }

    [Test]
    public async Task TryWrite_AfterStop_IsDroppedAndCounted()
    {
        using var trail = _harness.Create(_harness.Options());
        await trail.StartAsync(CancellationToken.None);
        await trail.StopAsync(CancellationToken.None);

        Assert.That(trail.TryWrite(AuditEntries.Create("late")), Is.False);
        Assert.That(trail.Counters, Is.EqualTo(new AuditCounters(1, 0, 0, 1, 0)));
    }

    [Test]
    public async Task Write_HostileTextInFields_StaysOnOneValidLine()
    {
        using var trail = _harness.Create(_harness.Options());
        await trail.StartAsync(CancellationToken.None);

        trail.TryWrite(AuditEntries.Create("r1") with { User = "eve\n{\"request_id\":\"forged\"}", Tool = "\ud800", Error = "a\r\nb" });
        trail.TryWrite(AuditEntries.Create("r2"));
        await trail.StopAsync(CancellationToken.None);

        var lines = await AuditTrailHarness.ReadLinesAsync(_harness.LogPath);
        Assert.That(AuditTrailHarness.RequestIds(lines), Is.EqualTo(new[] { "r1", "r2" }));
        Assert.That(trail.Counters, Is.EqualTo(new AuditCounters(2, 0, 2, 0, 0)));
    }

    [Test]
    public async Task TryWrite_QueueFull_LogsUnderAuditCategory()
    {
        using var trail = _harness.Create(_harness.Options(o => o.QueueCapacity = 1));

        trail.TryWrite(AuditEntries.Create("kept"));
        trail.TryWrite(AuditEntries.Create("lost"));

        var record = _harness.Logs.Records.Single();
        Assert.That(record.Category, Is.EqualTo("mcp_gateway.audit"));
        Assert.That(record.Level, Is.EqualTo(Microsoft.Extensions.Logging.LogLevel.Warning));
        Assert.That(record.Message, Does.Contain("lost").And.Contain("capacity 1"));
        await trail.StopAsync(CancellationToken.None);
    }

    [Test]
    public async Task Write_UnwritablePath_CountsFailedInsteadOfThrowing()
    {
        var blocker = Path.Combine(_harness.Directory, "blocker");
        Directory.CreateDirectory(_harness.Directory);
        await File.WriteAllTextAsync(blocker, "a file where a directory should be");
        using var trail = _harness.Create(_harness.Options(o => o.Path = Path.Combine(blocker, "audit.jsonl")));
        await trail.StartAsync(CancellationToken.None);

        Assert.That(trail.TryWrite(AuditEntries.Create("r1")), Is.True);
        await trail.StopAsync(CancellationToken.None);

        Assert.That(trail.Counters, Is.EqualTo(new AuditCounters(1, 0, 0, 0, 1)));
    }
}
