using System.Net;
using Gateway.Proxy.Configuration;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.RateLimiting;

/// <summary>routes.json names policies through YARP's RateLimiterPolicy; unknown names must fail validation naming the route.</summary>
public sealed class RateLimitPolicyRouteValidationTests
{
    private static readonly Uri Backend = new("http://127.0.0.1:9/");

    [Test]
    public async Task Startup_RouteWithUndeclaredPolicy_FailsNamingRouteAndDeclaredPolicies()
    {
        var routes = new RoutesJson()
            .Cluster("backend", Backend)
            .Route("api", """{"ClusterId":"backend","Match":{"Path":"/api/{**rest}"},"RateLimiterPolicy":"nope"}""")
            .ToString();
        var settings = new Dictionary<string, string?> { ["Gateway:RateLimiting:Policies:tools:PermitLimit"] = "5" };

        var exception = await Assert.ThrowsAsync<RoutesConfigException>(() => TestGateway.StartAsync(routes, settings));

        Assert.That(exception!.Errors, Has.Exactly(1).Items);
        Assert.That(exception.Errors[0], Does.StartWith("Route 'api': RateLimiterPolicy 'nope' is not declared in Gateway:RateLimiting:Policies (declared: tools)"));
        Assert.That(exception.Errors[0], Does.Contain("'Default'").And.Contain("'Disable'"));
    }

    [TestCase("Default")]
    [TestCase("disable")]
    [TestCase("TOOLS")]
    public async Task Startup_ReservedOrDeclaredPolicy_IsAccepted(string policy)
    {
        var routes = new RoutesJson()
            .Cluster("backend", Backend)
            .Route("api", $$"""{"ClusterId":"backend","Match":{"Path":"/api/{**rest}"},"RateLimiterPolicy":"{{policy}}"}""")
            .ToString();
        var settings = new Dictionary<string, string?> { ["Gateway:RateLimiting:Policies:tools:PermitLimit"] = "5" };

        await using var gateway = await TestGateway.StartAsync(routes, settings);

        Assert.That(gateway.GetRequiredService<RoutesFileConfigProvider>().IsLoaded, Is.True);
    }

    [Test]
    public async Task Reload_RouteWithUndeclaredPolicy_IsRejectedAndTheOldRoutesStay()
    {
        await using var backend = await TestBackend.StartEchoAsync();
        var good = new RoutesJson()
            .Cluster("backend", backend.Address)
            .Route("api", """{"ClusterId":"backend","Match":{"Path":"/api/{**rest}"},"RateLimiterPolicy":"Disable"}""")
            .ToString();
        await using var gateway = await TestGateway.StartAsync(good);
        var provider = gateway.GetRequiredService<RoutesFileConfigProvider>();
        var attempted = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        provider.ReloadAttempted += applied => attempted.TrySetResult(applied);

        await gateway.WriteRoutesAsync(good.Replace("\"Disable\"", "\"missing\""));
        var applied = await attempted.Task.WaitAsync(TimeSpan.FromSeconds(20));
        using var http = new HttpClient { BaseAddress = gateway.Address };
        using var response = await http.GetAsync("api/still-there");

        Assert.That(applied, Is.False);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.Contains("RateLimit-Policy"), Is.False, "the previous generation (Disable) still serves");
    }
}
