using System.Diagnostics.Metrics;
using Gateway.Proxy.Observability.Audit;
using Gateway.Proxy.Observability.Metrics;
using Gateway.Tests.Observability.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Observability.Audit;

[CancelAfter(90_000)]
public sealed class AuditTrailForwardingTests
{
    private AuditTrailHarness _harness = null!;

    [SetUp]
    public void CreateHarness() => _harness = new AuditTrailHarness();

    [TearDown]
    public void DeleteFiles() => _harness.Dispose();

    [Test]
    public async Task Write_ServiceUp_ForwardsNdjsonBatchesAndWritesNothingLocally()
    {
        await using var service = await FakeAuditService.StartAsync(_ => (200, TimeSpan.Zero));
        using var trail = _harness.Create(_harness.Options(o =>
        {
            o.AuditServiceUrl = service.Url;
            o.ForwardBatchSize = 10;
        }));
        await trail.StartAsync(CancellationToken.None);

        for (var i = 0; i < 25; i++)
        {
            trail.TryWrite(AuditEntries.Create($"r{i}"));
        }

        await trail.StopAsync(CancellationToken.None);

        Assert.That(service.AcceptedRequestIds, Is.EquivalentTo(Enumerable.Range(0, 25).Select(i => $"r{i}")));
        Assert.That(service.Requests, Is.GreaterThanOrEqualTo(3), "25 entries in batches of at most 10");
        Assert.That(service.LastContentType, Is.EqualTo("application/x-ndjson"));
        Assert.That(trail.Counters, Is.EqualTo(new AuditCounters(25, 25, 0, 0, 0)));
        Assert.That(await AuditTrailHarness.ReadLinesAsync(_harness.LogPath), Is.Empty);
    }

    [TestCase(500, 0, TestName = "Write_ServiceAnswers500_FallsBackToLocalFile")]
    [TestCase(200, 2_000, TestName = "Write_ServiceSlowerThanTimeout_FallsBackToLocalFile")]
    public async Task Write_ServiceFailing_FallsBackToLocalFile(int status, int delayMs)
    {
        await using var service = await FakeAuditService.StartAsync(_ => (status, TimeSpan.FromMilliseconds(delayMs)));
        await AssertEntriesLandLocallyAsync(service.Url);
        Assert.That(service.Requests, Is.GreaterThan(0));
    }

    [Test]
    public async Task Write_ServiceDown_FallsBackToLocalFile()
    {
        await AssertEntriesLandLocallyAsync(AuditTrailHarness.ClosedPortUrl());
    }

    [Test]
    public async Task MixedRun_EverySubmittedEntryIsForwardedWrittenOrDropped_AndMetricsAgree()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = services.GetRequiredService<IMeterFactory>();
        using var recorded = new CounterRecorder(meterFactory, "mcp_audit_events_total");
        using var metrics = new GatewayMetrics(meterFactory);
        // Every other batch fails, and the service is slow enough for a burst to overflow the small queue.
        await using var service = await FakeAuditService.StartAsync(n => (n % 2 == 0 ? 500 : 200, TimeSpan.FromMilliseconds(20)));
        using var trail = _harness.Create(
            _harness.Options(o =>
            {
                o.AuditServiceUrl = service.Url;
                o.QueueCapacity = 50;
                o.ForwardBatchSize = 20;
            }),
            metrics);
        await trail.StartAsync(CancellationToken.None);

        var rejected = 0;
        for (var round = 0; round < 10; round++)
        {
            for (var i = 0; i < 100; i++)
            {
                rejected += trail.TryWrite(AuditEntries.Create($"r{round}-{i}")) ? 0 : 1;
            }

            await Task.Delay(200);
        }

        await trail.StopAsync(CancellationToken.None);

        var counters = trail.Counters;
        var localIds = AuditTrailHarness.RequestIds(await AuditTrailHarness.ReadLinesAsync(_harness.LogPath));
        Assert.Multiple(() =>
        {
            Assert.That(counters.Submitted, Is.EqualTo(1_000));
            Assert.That(counters.Forwarded + counters.Written + counters.Dropped, Is.EqualTo(counters.Submitted));
            Assert.That(counters.Failed, Is.Zero);
            Assert.That(counters.Forwarded, Is.Positive);
            Assert.That(counters.Written, Is.Positive);
            Assert.That(counters.Dropped, Is.EqualTo(rejected).And.Positive);
            Assert.That(service.AcceptedRequestIds, Has.Count.EqualTo(counters.Forwarded));
            Assert.That(localIds, Has.Length.EqualTo(counters.Written));
            Assert.That(localIds.Intersect(service.AcceptedRequestIds), Is.Empty, "no entry is both forwarded and written");
            Assert.That(recorded.Total("mcp_audit_events_total", ("outcome", "forwarded")), Is.EqualTo(counters.Forwarded));
            Assert.That(recorded.Total("mcp_audit_events_total", ("outcome", "written")), Is.EqualTo(counters.Written));
            Assert.That(recorded.Total("mcp_audit_events_total", ("outcome", "dropped")), Is.EqualTo(counters.Dropped));
        });
    }

    private async Task AssertEntriesLandLocallyAsync(Uri serviceUrl)
    {
        using var trail = _harness.Create(_harness.Options(o =>
        {
            o.AuditServiceUrl = serviceUrl;
            o.ForwardTimeout = TimeSpan.FromMilliseconds(300);
        }));
        await trail.StartAsync(CancellationToken.None);

        for (var i = 0; i < 10; i++)
        {
            trail.TryWrite(AuditEntries.Create($"r{i}"));
        }

        await AuditTrailHarness.WaitUntilIdleAsync(trail);
        await trail.StopAsync(CancellationToken.None);

        Assert.That(trail.Counters, Is.EqualTo(new AuditCounters(10, 0, 10, 0, 0)));
        var ids = AuditTrailHarness.RequestIds(await AuditTrailHarness.ReadLinesAsync(_harness.LogPath));
        Assert.That(ids, Is.EqualTo(Enumerable.Range(0, 10).Select(i => $"r{i}")));
    }
}
