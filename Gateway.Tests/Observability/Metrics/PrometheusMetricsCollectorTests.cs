using System.Diagnostics;
using System.Diagnostics.Metrics;
using Gateway.Proxy.Observability.Metrics;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Observability.Metrics;

public sealed class PrometheusMetricsCollectorTests
{
    private string _meterName = null!;
    private Meter _meter = null!;

    [SetUp]
    public void CreateMeter()
    {
        // MeterListener sees every meter in the process: a unique name keeps tests apart.
        _meterName = "Test." + Guid.NewGuid().ToString("N");
        _meter = new Meter(_meterName);
    }

    [TearDown]
    public void DisposeMeter() => _meter.Dispose();

    [Test]
    public void Scrape_Counter_RendersExactText()
    {
        using var collector = CreateCollector();
        var counter = _meter.CreateCounter<long>("jobs.processed", unit: "{job}", description: "Jobs processed.");

        counter.Add(2, new KeyValuePair<string, object?>("queue", "fast"));
        counter.Add(3, new KeyValuePair<string, object?>("queue", "fast"));
        counter.Add(1, new KeyValuePair<string, object?>("queue", "slow"));

        var lines = collector.Scrape().Split('\n');
        Assert.That(lines[..2], Is.EqualTo(new[] { "# HELP jobs_processed_total Jobs processed.", "# TYPE jobs_processed_total counter" }));
        Assert.That(lines[2..4], Is.EquivalentTo(new[] { "jobs_processed_total{queue=\"fast\"} 5", "jobs_processed_total{queue=\"slow\"} 1" }));
        Assert.That(lines[4..], Is.EqualTo(new[] { string.Empty }));
    }

    [Test]
    public void Scrape_HistogramWithConfiguredBuckets_RendersExactText()
    {
        using var collector = CreateCollector(o => o.HistogramBuckets["work.duration"] = [0.5, 0.125]);
        var histogram = _meter.CreateHistogram<double>("work.duration", "s", "Work time.");

        histogram.Record(0.0625);
        histogram.Record(0.125);
        histogram.Record(0.25);
        histogram.Record(7);

        Assert.That(collector.Scrape(), Is.EqualTo(
            "# HELP work_duration_seconds Work time.\n" +
            "# TYPE work_duration_seconds histogram\n" +
            "work_duration_seconds_bucket{le=\"0.125\"} 2\n" +
            "work_duration_seconds_bucket{le=\"0.5\"} 3\n" +
            "work_duration_seconds_bucket{le=\"+Inf\"} 4\n" +
            "work_duration_seconds_sum 7.4375\n" +
            "work_duration_seconds_count 4\n"));
    }

    [Test]
    public void Scrape_HistogramWithAdvice_UsesAdvisedBoundaries()
    {
        using var collector = CreateCollector();
        var advice = new InstrumentAdvice<long> { HistogramBucketBoundaries = [100, 1000] };
        var histogram = _meter.CreateHistogram("payload.size", "By", "Payload size.", tags: null, advice);

        histogram.Record(150);

        var exposition = PrometheusExposition.Parse(collector.Scrape());
        var bounds = exposition.SamplesOf("payload_size_bytes_bucket").Select(s => s.Labels["le"]);
        Assert.That(bounds, Is.EqualTo(new[] { "100", "1000", "+Inf" }));
        Assert.That(exposition.Value("payload_size_bytes_bucket", ("le", "1000")), Is.EqualTo(1));
    }

    [Test]
    public void Scrape_SecondsHistogramWithoutAdvice_UsesDefaultSecondsBuckets()
    {
        using var collector = CreateCollector();
        _meter.CreateHistogram<double>("op.duration", "s").Record(0.2);

        var bounds = PrometheusExposition.Parse(collector.Scrape()).SamplesOf("op_duration_seconds_bucket").Select(s => s.Labels["le"]);

        Assert.That(bounds, Is.EqualTo(new[] { "0.005", "0.01", "0.025", "0.05", "0.075", "0.1", "0.25", "0.5", "0.75", "1", "2.5", "5", "7.5", "10", "+Inf" }));
    }

    [Test]
    public void Record_SameTagsInAnyOrderOrValueType_AggregateIntoOneSeries()
    {
        using var collector = CreateCollector();
        var counter = _meter.CreateCounter<int>("hits");

        counter.Add(1, new("code", 200), new("method", "GET"));
        counter.Add(1, new("method", "GET"), new("code", "200"));
        counter.Add(1, new TagList { { "method", "GET" }, { "code", 200 } });

        var samples = PrometheusExposition.Parse(collector.Scrape()).SamplesOf("hits_total").ToList();
        Assert.That(samples, Has.Count.EqualTo(1));
        Assert.That(samples[0].Value, Is.EqualTo(3));
    }

    [Test]
    public void Record_DeniedTagKeys_AreNotLabels()
    {
        using var collector = CreateCollector();
        var counter = _meter.CreateCounter<long>("requests");

        counter.Add(1, new("url.path", "/users/42/secret"), new("user.id", "alice"), new("status", "ok"));
        counter.Add(1, new("url.path", "/users/43/secret"), new("user.id", "bob"), new("status", "ok"));

        var text = collector.Scrape();
        Assert.That(text, Does.Not.Contain("/users/"));
        Assert.That(text, Does.Not.Contain("alice"));
        Assert.That(PrometheusExposition.Parse(text).Value("requests_total", ("status", "ok")), Is.EqualTo(2));
    }

    [Test]
    public void Record_MeterAllowList_KeepsOnlyAllowedKeys()
    {
        using var collector = CreateCollector(o => o.MeterTagPolicies[_meterName] = new TagKeyPolicy
        {
            AllowedKeys = new HashSet<string> { "http.route" },
            DeniedKeys = new HashSet<string> { "http.route.raw" },
        });
        var counter = _meter.CreateCounter<long>("routed");

        counter.Add(1, new("http.route", "/items/{id}"), new("http.route.raw", "/items/7"), new("other", "x"));

        var sample = PrometheusExposition.Parse(collector.Scrape()).SamplesOf("routed_total").Single();
        Assert.That(sample.Labels, Is.EqualTo(new Dictionary<string, string> { ["http_route"] = "/items/{id}" }));
    }

    [Test]
    public void Record_LabelValuesWithSpecialCharacters_RoundTripThroughEscaping()
    {
        using var collector = CreateCollector();
        const string value = "a\\b \"c\"\nd";

        _meter.CreateCounter<long>("odd").Add(1, new KeyValuePair<string, object?>("v", value));

        var sample = PrometheusExposition.Parse(collector.Scrape()).SamplesOf("odd_total").Single();
        Assert.That(sample.Labels["v"], Is.EqualTo(value));
    }

    [Test]
    public void Record_BeyondSeriesCap_FoldsIntoOverflowSeriesAndCountsDrops()
    {
        using var collector = CreateCollector(o => o.MaxSeriesPerMetric = 3);
        var counter = _meter.CreateCounter<long>("tenants.requests");

        for (var i = 0; i < 10; i++)
        {
            counter.Add(1, new KeyValuePair<string, object?>("tenant", "t" + i));
        }

        counter.Add(5, new KeyValuePair<string, object?>("tenant", "t0"));

        var exposition = PrometheusExposition.Parse(collector.Scrape());
        var series = exposition.SamplesOf("tenants_requests_total").ToList();
        Assert.That(series, Has.Count.EqualTo(4));
        Assert.That(exposition.Value("tenants_requests_total", ("tenant", "t0")), Is.EqualTo(6));
        Assert.That(exposition.Value("tenants_requests_total", ("otel_metric_overflow", "true")), Is.EqualTo(7));
        Assert.That(series.Sum(s => s.Value), Is.EqualTo(15));
        Assert.That(
            exposition.Value(PrometheusMetricsCollector.DroppedSeriesMetricName, ("metric", "tenants_requests_total")),
            Is.EqualTo(7));
        Assert.That(exposition.Types[PrometheusMetricsCollector.DroppedSeriesMetricName], Is.EqualTo("counter"));
    }

    [Test]
    public void Scrape_ObservableInstruments_AreCollectedAtScrapeTime()
    {
        using var collector = CreateCollector();
        var queues = new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 };
        long completed = 0;
        _meter.CreateObservableGauge("queue.depth", () => queues.Select(q => new Measurement<int>(q.Value, new KeyValuePair<string, object?>("queue", q.Key))));
        _meter.CreateObservableCounter("jobs.completed", () => completed);
        _meter.CreateObservableUpDownCounter("workers", () => 4);

        completed = 10;
        var first = PrometheusExposition.Parse(collector.Scrape());
        queues.Remove("a");
        queues["b"] = 9;
        completed = 12;
        var second = PrometheusExposition.Parse(collector.Scrape());

        Assert.That(first.Value("queue_depth", ("queue", "a")), Is.EqualTo(1));
        Assert.That(first.Value("jobs_completed_total"), Is.EqualTo(10));
        Assert.That(second.SamplesOf("queue_depth").Select(s => s.Labels["queue"]), Is.EqualTo(new[] { "b" }));
        Assert.That(second.Value("queue_depth", ("queue", "b")), Is.EqualTo(9));
        Assert.That(second.Value("jobs_completed_total"), Is.EqualTo(12));
        Assert.That(second.Types["jobs_completed_total"], Is.EqualTo("counter"));
        Assert.That(second.Value("workers"), Is.EqualTo(4));
        Assert.That(second.Types["workers"], Is.EqualTo("gauge"));
    }

    [Test]
    public void Record_SynchronousGaugeAndUpDownCounter_ExportAsGauges()
    {
        using var collector = CreateCollector();
        var gauge = _meter.CreateGauge<double>("temperature", "Cel");
        var sessions = _meter.CreateUpDownCounter<int>("sessions");

        gauge.Record(20.5);
        gauge.Record(19);
        sessions.Add(3);
        sessions.Add(-1);

        var exposition = PrometheusExposition.Parse(collector.Scrape());
        Assert.That(exposition.Value("temperature_Cel"), Is.EqualTo(19));
        Assert.That(exposition.Types["temperature_Cel"], Is.EqualTo("gauge"));
        Assert.That(exposition.Value("sessions"), Is.EqualTo(2));
        Assert.That(exposition.Types["sessions"], Is.EqualTo("gauge"));
    }

    [Test]
    public void Record_NegativeCounterDelta_IsIgnored()
    {
        using var collector = CreateCollector();
        var counter = _meter.CreateCounter<double>("transferred", "By");

        counter.Add(10);
        counter.Add(-4);

        Assert.That(PrometheusExposition.Parse(collector.Scrape()).Value("transferred_bytes_total"), Is.EqualTo(10));
    }

    [Test]
    public void Scrape_NameClashBetweenTypes_KeepsFirstInstrumentAndStaysValid()
    {
        using var collector = CreateCollector();
        _meter.CreateCounter<long>("clash").Add(1);
        _meter.CreateGauge<long>("clash_total").Record(99);

        var exposition = PrometheusExposition.Parse(collector.Scrape());

        Assert.That(exposition.Types["clash_total"], Is.EqualTo("counter"));
        Assert.That(exposition.SamplesOf("clash_total").Select(s => s.Value), Is.EqualTo(new[] { 1.0 }));
    }

    [Test]
    public void Scrape_SameNameInTwoMeters_WritesOneFamilyWithoutDuplicateSeries()
    {
        using var otherMeter = new Meter(_meterName + ".other");
        using var collector = CreateCollector(o => o.MeterNames.Add(otherMeter.Name));
        _meter.CreateCounter<long>("shared").Add(1, new KeyValuePair<string, object?>("k", "same"));
        otherMeter.CreateCounter<long>("shared").Add(5, new KeyValuePair<string, object?>("k", "same"));
        otherMeter.CreateCounter<long>("shared").Add(2, new KeyValuePair<string, object?>("k", "own"));

        var exposition = PrometheusExposition.Parse(collector.Scrape());

        Assert.That(exposition.SamplesOf("shared_total").Select(s => s.Labels["k"]), Is.EquivalentTo(new[] { "same", "own" }));
        Assert.That(exposition.Value("shared_total", ("k", "same")), Is.EqualTo(1));
    }

    [Test]
    public void Scrape_HistogramsWithDifferentBucketsUnderOneName_KeepsFirst()
    {
        using var otherMeter = new Meter(_meterName + ".other");
        using var collector = CreateCollector(o => o.MeterNames.Add(otherMeter.Name));
        _meter.CreateHistogram<double>("lat", "s").Record(1, new KeyValuePair<string, object?>("m", "first"));
        var advice = new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2] };
        otherMeter.CreateHistogram("lat", "s", null, null, advice).Record(1, new KeyValuePair<string, object?>("m", "second"));

        var exposition = PrometheusExposition.Parse(collector.Scrape());

        Assert.That(exposition.SamplesOf("lat_seconds_count").Select(s => s.Labels["m"]), Is.EqualTo(new[] { "first" }));
    }

    [Test]
    public void Scrape_GaugeNamedLikeHistogramSample_IsRenamedAndStaysValid()
    {
        using var collector = CreateCollector();
        _meter.CreateHistogram<double>("lat", "s").Record(1);
        _meter.CreateGauge<double>("lat_seconds_count").Record(42);

        var exposition = PrometheusExposition.Parse(collector.Scrape());

        Assert.That(exposition.Types.Keys, Is.EquivalentTo(new[] { "lat_seconds", "lat_seconds_count_value" }));
        Assert.That(exposition.Value("lat_seconds_count"), Is.EqualTo(1));
    }

    [Test]
    public void Scrape_LabelNamesThatSanitizeAlike_KeepOneLabel()
    {
        using var collector = CreateCollector();

        _meter.CreateCounter<long>("twins").Add(1, new("a.b", "dot"), new("a_b", "underscore"));

        var sample = PrometheusExposition.Parse(collector.Scrape()).SamplesOf("twins_total").Single();
        Assert.That(sample.Labels, Has.Count.EqualTo(1));
    }

    [Test]
    public void Scrape_OtherMetersAndDisposedMeters_AreNotExported()
    {
        using var collector = CreateCollector();
        using (var unrelated = new Meter("Unrelated." + Guid.NewGuid().ToString("N")))
        {
            unrelated.CreateCounter<long>("unrelated_counter").Add(1);
        }

        _meter.CreateCounter<long>("gone").Add(1);
        Assert.That(collector.Scrape(), Does.Contain("gone_total 1"));

        _meter.Dispose();

        var text = collector.Scrape();
        Assert.That(text, Does.Not.Contain("gone_total"));
        Assert.That(text, Does.Not.Contain("unrelated_counter"));
    }

    [Test]
    public void Scrape_ThrowingObservableCallback_DoesNotFailScrape()
    {
        using var collector = CreateCollector();
        _meter.CreateObservableGauge("broken", int () => throw new InvalidOperationException("probe failed"));
        _meter.CreateCounter<long>("fine").Add(1);

        Assert.That(PrometheusExposition.Parse(collector.Scrape()).Value("fine_total"), Is.EqualTo(1));
    }

    [Test]
    public void Constructor_ZeroSeriesCap_ThrowsWithOptionName()
    {
        var options = Options.Create(new PrometheusExporterOptions { MaxSeriesPerMetric = 0 });

        Assert.That(() => new PrometheusMetricsCollector(options), Throws.TypeOf<ArgumentOutOfRangeException>()
            .With.Message.Contains(nameof(PrometheusExporterOptions.MaxSeriesPerMetric)));
    }

    [Test]
    public async Task Record_ConcurrentWriters_LoseNoMeasurements()
    {
        using var collector = CreateCollector();
        var counter = _meter.CreateCounter<long>("parallel");
        var histogram = _meter.CreateHistogram<double>("parallel.latency", "s");

        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                var tag = new KeyValuePair<string, object?>("shard", i % 8);
                counter.Add(1, tag);
                histogram.Record(0.01, tag);
            }
        })));

        var exposition = PrometheusExposition.Parse(collector.Scrape());
        Assert.That(exposition.SamplesOf("parallel_total").Sum(s => s.Value), Is.EqualTo(40_000));
        Assert.That(exposition.SamplesOf("parallel_latency_seconds_count").Sum(s => s.Value), Is.EqualTo(40_000));
    }

    [Test]
    public void Record_ExistingSeries_AllocatesNothing()
    {
        using var collector = CreateCollector(o => o.DeniedTagKeys.Add("dropped"));
        var counter = _meter.CreateCounter<long>("hot");
        var histogram = _meter.CreateHistogram<double>("hot.latency", "s");
        var tool = new KeyValuePair<string, object?>("tool", "echo");
        var status = new KeyValuePair<string, object?>("status", "ok");
        var dropped = new KeyValuePair<string, object?>("dropped", "x");
        RecordBatch();

        var before = GC.GetAllocatedBytesForCurrentThread();
        RecordBatch();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.Zero);

        void RecordBatch()
        {
            for (var i = 0; i < 1_000; i++)
            {
                counter.Add(1, status, dropped, tool);
                histogram.Record(0.01, tool, status);
            }
        }
    }

    private PrometheusMetricsCollector CreateCollector(Action<PrometheusExporterOptions>? configure = null)
    {
        var options = new PrometheusExporterOptions { MeterNames = new HashSet<string> { _meterName } };
        configure?.Invoke(options);
        return new PrometheusMetricsCollector(Options.Create(options));
    }
}
