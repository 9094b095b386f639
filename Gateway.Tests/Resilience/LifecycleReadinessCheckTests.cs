using Gateway.Proxy.Health;
using Gateway.Proxy.Resilience;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Resilience;

public sealed class LifecycleReadinessCheckTests
{
    [Test]
    public async Task Check_IsHealthyUntilShutdownBegins_ThenUnhealthy()
    {
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        using var drain = new DrainState(lifetime);
        var check = new LifecycleReadinessCheck(drain);

        var before = await check.CheckAsync(CancellationToken.None);
        lifetime.StopApplication();
        var after = await check.CheckAsync(CancellationToken.None);

        Assert.That(check.Name, Is.EqualTo("lifecycle"));
        Assert.That(before.Status, Is.EqualTo(ReadinessStatus.Healthy));
        Assert.That(after.Status, Is.EqualTo(ReadinessStatus.Unhealthy));
        Assert.That(after.Detail, Does.Contain("draining"));
    }

    [Test]
    public async Task StoppingAsync_MarksDrainingAtOnce_ThenHoldsForThePreStopDelay()
    {
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        using var drain = new DrainState(lifetime);
        var shutdown = new GracefulShutdown(drain, Options.Create(new ResilienceOptions { PreStopDelay = TimeSpan.FromMinutes(5) }), NullLogger<GracefulShutdown>.Instance);
        using var hostGivesUp = new CancellationTokenSource();

        var stopping = shutdown.StoppingAsync(hostGivesUp.Token);

        Assert.That(drain.IsDraining, Is.True, "draining starts before the delay");
        Assert.That(stopping.IsCompleted, Is.False, "the listener stays open during the pre-stop delay");
        await hostGivesUp.CancelAsync();
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task RunningGateway_RegistersTheCheck_WhichFailsOnceTheHostStops()
    {
        await using var backend = await FaultyBackend.StartAsync();
        await using var gateway = await TestGateway.StartAsync(new RoutesJson().Cluster("main", backend.Address).Tool("tool", "main", "POST /work").ToString());
        var check = gateway.GetRequiredService<IEnumerable<IReadinessCheck>>().Single(c => c.Name == "lifecycle");
        var healthy = await check.CheckAsync(CancellationToken.None);

        gateway.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        Assert.That(healthy.Status, Is.EqualTo(ReadinessStatus.Healthy));
        Assert.That((await check.CheckAsync(CancellationToken.None)).Status, Is.EqualTo(ReadinessStatus.Unhealthy));
    }

    [Test]
    public void HostShutdownTimeout_CoversPreStopDelayAndDrainTimeout()
    {
        var services = new ServiceCollection();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:Resilience:PreStopDelay"] = "00:00:05",
            ["Gateway:Resilience:DrainTimeout"] = "00:00:20",
        }).Build();
        services.AddGatewayResilience(configuration);
        using var provider = services.BuildServiceProvider();

        var host = provider.GetRequiredService<IOptions<HostOptions>>().Value;

        Assert.That(host.ShutdownTimeout, Is.EqualTo(TimeSpan.FromSeconds(25)));
    }
}
