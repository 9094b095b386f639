using System.Text.Json;
using Gateway.Proxy.Observability.Audit;

namespace Gateway.Tests.Observability.Audit;

[CancelAfter(60_000)]
public sealed class AuditTrailFileTests
{
    private AuditTrailHarness _harness = null!;

    [SetUp]
    public void CreateHarness() => _harness = new AuditTrailHarness();

    [TearDown]
    public void DeleteFiles() => _harness.Dispose();

    [Test]
    public async Task Stop_AfterWrites_LeavesOneParsableLinePerEntryInMissingDirectory()
    {
        Assert.That(Directory.Exists(Path.GetDirectoryName(_harness.LogPath)), Is.False);
        using var trail = _harness.Create(_harness.Options());
        await trail.StartAsync(CancellationToken.None);

        trail.TryWrite(AuditEntries.Create("r1"));
        trail.TryWrite(AuditEntries.Create("r2") with { Status = AuditStatus.Error, Error = "denied", Cluster = "tools" });
        trail.TryWrite(AuditEntries.Create("r3"));
        await trail.StopAsync(CancellationToken.None);

        var text = await File.ReadAllTextAsync(_harness.LogPath);
        var lines = text.Split('\n');
        Assert.That(lines, Has.Length.EqualTo(4), "three lines, each ending with a line feed");
        Assert.That(lines[3], Is.Empty);
        using var second = JsonDocument.Parse(lines[1]);
        var root = second.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(AuditTrailHarness.RequestIds(lines[..3]), Is.EqualTo(new[] { "r1", "r2", "r3" }));
            Assert.That(root.GetProperty("timestamp").GetString(), Is.EqualTo("2025-01-02T03:04:05.678Z"));
            Assert.That(root.GetProperty("type").GetString(), Is.EqualTo("mcp_request"));
            Assert.That(root.GetProperty("status").GetString(), Is.EqualTo("error"));
            Assert.That(root.GetProperty("error").GetString(), Is.EqualTo("denied"));
            Assert.That(root.GetProperty("cluster").GetString(), Is.EqualTo("tools"));
            Assert.That(root.GetProperty("arguments_sha256").GetString(), Is.EqualTo(AuditEntries.ArgumentsHash));
            Assert.That(trail.Counters, Is.EqualTo(new AuditCounters(3, 0, 3, 0, 0)));
        });
    }

    [Test]
    public async Task Start_FileWithTornTail_KeepsTheFragmentOnItsOwnLine()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_harness.LogPath)!);
        await File.WriteAllTextAsync(_harness.LogPath, "{\"request_id\":\"old\"}\n{\"request_id\":\"to");
        using var trail = _harness.Create(_harness.Options());
        await trail.StartAsync(CancellationToken.None);

        trail.TryWrite(AuditEntries.Create("new"));
        await trail.StopAsync(CancellationToken.None);

        var lines = await AuditTrailHarness.ReadLinesAsync(_harness.LogPath);
        Assert.That(lines, Has.Length.EqualTo(3));
        Assert.That(lines[1], Is.EqualTo("{\"request_id\":\"to"));
        Assert.That(AuditTrailHarness.RequestIds([lines[0], lines[2]]), Is.EqualTo(new[] { "old", "new" }));
    }

    [Test]
    public async Task Write_PastMaxFileBytes_RotatesAndKeepsOnlyRetainedFiles()
    {
        var lineLength = (await SerializedLineLengthAsync()) + 1;
        var options = _harness.Options(o =>
        {
            o.MaxFileBytes = (lineLength * 2) + 1;
            o.ForwardBatchSize = 1;
            o.MaxRetainedFiles = 2;
        });
        using var trail = _harness.Create(options);
        await trail.StartAsync(CancellationToken.None);

        for (var i = 1; i <= 9; i++)
        {
            trail.TryWrite(AuditEntries.Create($"r{i}"));
        }

        await trail.StopAsync(CancellationToken.None);

        var logDirectory = Path.GetDirectoryName(_harness.LogPath)!;
        var rotated = Directory.GetFiles(logDirectory, "audit-*.jsonl").Order(StringComparer.Ordinal).ToArray();
        Assert.That(rotated, Has.Length.EqualTo(2));
        Assert.That(rotated.Select(Path.GetFileName), Has.All.Match(@"^audit-\d{8}-\d{6}(-\d+)?\.jsonl$"));
        var remaining = new List<string>();
        foreach (var file in rotated.Append(_harness.LogPath))
        {
            Assert.That(new FileInfo(file).Length, Is.LessThanOrEqualTo(options.MaxFileBytes));
            remaining.AddRange(await AuditTrailHarness.ReadLinesAsync(file));
        }

        // Files hold two entries each: r1..r4 went to the deleted files, r5..r8 to the retained ones, r9 is active.
        Assert.That(AuditTrailHarness.RequestIds(remaining).Order(), Is.EqualTo(new[] { "r5", "r6", "r7", "r8", "r9" }));
    }

    [Test]
    public async Task Write_AfterUtcDateChange_RotatesDaily()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        using var trail = _harness.Create(_harness.Options(o => o.RotateDaily = true), time: time);
        await trail.StartAsync(CancellationToken.None);

        trail.TryWrite(AuditEntries.Create("yesterday"));
        await AuditTrailHarness.WaitUntilIdleAsync(trail);
        time.Advance(TimeSpan.FromDays(1));
        trail.TryWrite(AuditEntries.Create("today"));
        await trail.StopAsync(CancellationToken.None);

        var rotated = Directory.GetFiles(Path.GetDirectoryName(_harness.LogPath)!, "audit-*.jsonl");
        Assert.That(rotated, Has.Length.EqualTo(1));
        Assert.That(Path.GetFileName(rotated[0]), Does.StartWith("audit-" + time.GetUtcNow().ToString("yyyyMMdd")));
        Assert.That(AuditTrailHarness.RequestIds(await AuditTrailHarness.ReadLinesAsync(rotated[0])), Is.EqualTo(new[] { "yesterday" }));
        Assert.That(AuditTrailHarness.RequestIds(await AuditTrailHarness.ReadLinesAsync(_harness.LogPath)), Is.EqualTo(new[] { "today" }));
    }

    [Test]
    public async Task Write_SameDayWithDailyRotation_DoesNotRotate()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        using var trail = _harness.Create(_harness.Options(o => o.RotateDaily = true), time: time);
        await trail.StartAsync(CancellationToken.None);

        trail.TryWrite(AuditEntries.Create("a"));
        await AuditTrailHarness.WaitUntilIdleAsync(trail);
        trail.TryWrite(AuditEntries.Create("b"));
        await trail.StopAsync(CancellationToken.None);

        Assert.That(Directory.GetFiles(Path.GetDirectoryName(_harness.LogPath)!), Has.Length.EqualTo(1));
    }

    private async Task<int> SerializedLineLengthAsync()
    {
        using var probe = new AuditTrailHarness();
        using var trail = probe.Create(probe.Options());
        await trail.StartAsync(CancellationToken.None);
        trail.TryWrite(AuditEntries.Create("r1"));
        await trail.StopAsync(CancellationToken.None);
        return (await AuditTrailHarness.ReadLinesAsync(probe.LogPath)).Single().Length;
    }
}
