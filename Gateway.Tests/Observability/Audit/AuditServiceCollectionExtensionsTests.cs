using System.Diagnostics.Metrics;
using Gateway.Proxy.Observability.Audit;
using Gateway.Proxy.Observability.Metrics;
using Gateway.Tests.Observability.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Observability.Audit;

[CancelAfter(60_000)]
public sealed class AuditServiceCollectionExtensionsTests
{
    private AuditTrailHarness _harness = null!;

    [SetUp]
    public void CreateHarness() => _harness = new AuditTrailHarness();

    [TearDown]
    public void DeleteFiles() => _harness.Dispose();

    [Test]
    public async Task HostStop_DrainsEntriesWrittenThroughTheSink_AndReportsThemAsMetrics()
    {
        using var host = BuildHost(o => o.Path = _harness.LogPath);
        await host.StartAsync();
        var sink = host.Services.GetRequiredService<IAuditSink>();
        using var recorded = new CounterRecorder(host.Services.GetRequiredService<IMeterFactory>(), "mcp_audit_events_total");

        for (var i = 0; i < 100; i++)
        {
            sink.TryWrite(AuditEntries.Create($"r{i}"));
        }

        await host.StopAsync();

        Assert.That(await AuditTrailHarness.ReadLinesAsync(_harness.LogPath), Has.Length.EqualTo(100));
        Assert.That(sink, Is.SameAs(host.Services.GetRequiredService<AuditTrail>()));
        Assert.That(recorded.Total("mcp_audit_events_total", ("outcome", "written")), Is.EqualTo(100));
    }

    [Test]
    public void HostStart_InvalidOptions_FailsWithTheValidatorsMessage()
    {
        using var host = BuildHost(o =>
        {
            o.Path = _harness.LogPath;
            o.QueueCapacity = 0;
        });

        Assert.That(
            async () => await host.StartAsync(),
            Throws.TypeOf<OptionsValidationException>().With.Message.Contains("Audit:QueueCapacity is 0"));
    }

    private static IHost BuildHost(Action<AuditOptions> configure)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddGatewayMetrics();
        builder.Services.AddAuditTrail(configure);
        return builder.Build();
    }
}
