using Gateway.Proxy.Resilience;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Tests.Resilience;

public sealed class ResilienceConfigValidatorTests
{
    private readonly ResilienceConfigValidator _validator = new();

    [TestCase("00:00:05")]
    [TestCase("00:01:00")]
    public async Task Route_ValidTimeoutMetadata_HasNoErrors(string timeout)
    {
        var errors = new List<Exception>();
        await _validator.ValidateAsync(Route(new() { [ResilienceMetadata.TimeoutKey] = timeout }), errors);

        Assert.That(errors, Is.Empty);
    }

    [TestCase("soon")]
    [TestCase("00:00:00")]
    [TestCase("-00:00:05")]
    public async Task Route_BadTimeoutMetadata_NamesRouteKeyAndExample(string timeout)
    {
        var errors = new List<Exception>();
        await _validator.ValidateAsync(Route(new() { [ResilienceMetadata.TimeoutKey] = timeout }), errors);

        Assert.That(errors.Single().Message, Does.StartWith("Route 'r':").And.Contain("Gateway.Timeout").And.Contain("00:00:30"));
    }

    [TestCase("0")]
    [TestCase("-3")]
    [TestCase("many")]
    public async Task Cluster_BadConcurrencyMetadata_NamesClusterAndKey(string limit)
    {
        var cluster = new ClusterConfig { ClusterId = "c", Metadata = new Dictionary<string, string> { [ResilienceMetadata.MaxConcurrentRequestsKey] = limit } };

        var errors = new List<Exception>();
        await _validator.ValidateAsync(cluster, errors);

        Assert.That(errors.Single().Message, Does.StartWith("Cluster 'c':").And.Contain("Gateway.MaxConcurrentRequests"));
    }

    [Test]
    public async Task Filter_MovesRouteTimeoutIntoMetadata_SoYarpNeedsNoTimeoutMiddleware()
    {
        var filter = new ResilienceConfigFilter(new StaticOptionsMonitor(new ResilienceOptions()));

        var filtered = await filter.ConfigureRouteAsync(new RouteConfig { RouteId = "r", Timeout = TimeSpan.FromSeconds(5) }, null, CancellationToken.None);

        Assert.That(filtered.Timeout, Is.Null);
        Assert.That(filtered.Metadata?[ResilienceMetadata.TimeoutKey], Is.EqualTo("00:00:05"));
    }

    [Test]
    public async Task Filter_ClusterWithHealthChecks_FailsFastInsteadOfPanicRouting()
    {
        var filter = new ResilienceConfigFilter(new StaticOptionsMonitor(new ResilienceOptions()));
        var cluster = new ClusterConfig { ClusterId = "c", HealthCheck = new HealthCheckConfig { Passive = new PassiveHealthCheckConfig { Enabled = true } } };

        var filtered = await filter.ConfigureClusterAsync(cluster, CancellationToken.None);

        Assert.That(filtered.HealthCheck?.AvailableDestinationsPolicy, Is.EqualTo("HealthyAndUnknown"));
    }

    private static RouteConfig Route(Dictionary<string, string> metadata) => new() { RouteId = "r", Metadata = metadata };

    private sealed class StaticOptionsMonitor(ResilienceOptions value) : Microsoft.Extensions.Options.IOptionsMonitor<ResilienceOptions>
    {
        public ResilienceOptions CurrentValue => value;

        public ResilienceOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<ResilienceOptions, string?> listener) => null;
    }
}
