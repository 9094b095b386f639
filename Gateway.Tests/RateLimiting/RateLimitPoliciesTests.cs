using Gateway.Proxy.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.RateLimiting;

public sealed class RateLimitPoliciesTests
{
    private IConfigurationRoot _configuration = null!;
    private RecordingLoggerFactory _logs = null!;
    private RateLimitPolicies _policies = null!;

    [SetUp]
    public void CreatePolicies()
    {
        _configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:RateLimiting:DefaultRequestsPerMinute"] = "600",
            ["Gateway:RateLimiting:Policies:search:PermitLimit"] = "10",
        }).Build();
        var options = new RateLimitingOptions();
        _configuration.GetSection(RateLimitingOptions.SectionName).Bind(options);
        _logs = new RecordingLoggerFactory();
        _policies = new RateLimitPolicies(Options.Create(options), _configuration, _logs.CreateLogger<RateLimitPolicies>());
    }

    [TearDown]
    public void DisposePolicies()
    {
        _policies.Dispose();
        _logs.Dispose();
    }

    [TestCase(null, "default")]
    [TestCase("", "default")]
    [TestCase("Default", "default")]
    [TestCase("DEFAULT", "default")]
    [TestCase("search", "search")]
    [TestCase("Search", "search")]
    [TestCase("Disable", null)]
    [TestCase("disable", null)]
    public void ForRoute_FollowsYarpSemantics(string? routeValue, string? expectedPolicy)
    {
        Assert.That(_policies.ForRoute(routeValue)?.Name, Is.EqualTo(expectedPolicy));
    }

    [Test]
    public void ForRoute_NoLongerDeclaredPolicy_FallsBackToDefaultWithOneWarning()
    {
        var first = _policies.ForRoute("removed");
        var second = _policies.ForRoute("removed");

        Assert.That(first?.Name, Is.EqualTo("default"));
        Assert.That(second?.Name, Is.EqualTo("default"));
        Assert.That(_logs.Entries.Count(e => e.Level == LogLevel.Warning && e.Message.Contains("'removed'")), Is.EqualTo(1));
    }

    [Test]
    public void ForRoute_DefaultOff_AppliesNoLimit()
    {
        _configuration["Gateway:RateLimiting:DefaultRequestsPerMinute"] = "0";
        _configuration.Reload();

        Assert.That(_policies.ForRoute(null), Is.Null);
        Assert.That(_policies.ForRoute("search")?.Name, Is.EqualTo("search"));
    }

    [Test]
    public void Reload_ValidChange_AppliesAtOnce()
    {
        var changed = 0;
        _policies.Changed += () => changed++;
        _configuration["Gateway:RateLimiting:Policies:search:PermitLimit"] = "25";
        _configuration["Gateway:RateLimiting:Policies:new-one:PermitLimit"] = "3";
        _configuration.Reload();

        Assert.That(changed, Is.EqualTo(1));
        Assert.That(_policies.ForRoute("search")!.Quota.Limit, Is.EqualTo(25));
        Assert.That(_policies.IsDeclared("new-one"), Is.True);
    }

    [Test]
    public void Reload_InvalidChange_KeepsThePreviousPoliciesAndLogsTheError()
    {
        _configuration["Gateway:RateLimiting:Policies:search:PermitLimit"] = "0";
        _configuration.Reload();

        Assert.That(_policies.ForRoute("search")!.Quota.Limit, Is.EqualTo(10));
        Assert.That(_logs.Entries.Where(e => e.Level == LogLevel.Error).Select(e => e.Message),
            Has.Some.Contains("Gateway:RateLimiting:Policies:search:PermitLimit must be at least 1"));
    }

    [Test]
    public void Reload_UnbindableValue_KeepsThePreviousPolicies()
    {
        _configuration["Gateway:RateLimiting:Policies:search:Window"] = "a minute";
        _configuration.Reload();

        Assert.That(_policies.ForRoute("search")!.Quota.WindowSeconds, Is.EqualTo(60));
        Assert.That(_logs.Entries.Where(e => e.Level == LogLevel.Error).Select(e => e.Message),
            Has.Exactly(1).Contains("Gateway:RateLimiting:Policies:search could not be read"));
    }

    [Test]
    public void Reload_UnbindableTier_KeepsThePreviousPolicies()
    {
        _configuration["Gateway:RateLimiting:Policies:search:Tiers:free:PermitLimit"] = "sixty";
        _configuration.Reload();

        Assert.That(_policies.ForRoute("search")!.Tiers, Is.Empty);
        Assert.That(_logs.Entries.Where(e => e.Level == LogLevel.Error).Select(e => e.Message),
            Has.Exactly(1).Contains("Gateway:RateLimiting:Policies:search:Tiers:free could not be read"));
    }

    [Test]
    public void Reload_RedisUrlChanged_WarnsThatARestartIsNeeded()
    {
        _configuration["Gateway:RateLimiting:RedisUrl"] = "redis://cache:6379";
        _configuration.Reload();

        Assert.That(_logs.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message), Has.Some.Contains("only after a restart"));
    }
}
