using Gateway.Proxy.RateLimiting;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.RateLimiting;

public sealed class RateLimitingOptionsValidatorTests
{
    public static IEnumerable<TestCaseData> InvalidOptions()
    {
        yield return new TestCaseData(new RateLimitingOptions { DefaultRequestsPerMinute = -1 }, "DefaultRequestsPerMinute (MCP_GATEWAY_RATE_LIMIT_RPM)")
            .SetName("Validate_NegativeDefault_NamesTheEnvironmentVariable");
        yield return new TestCaseData(new RateLimitingOptions { RefusalsPerMinute = -1 }, "RefusalsPerMinute must be 0 (off) or a positive number")
            .SetName("Validate_NegativeRefusalBudget_IsRejected");
        yield return new TestCaseData(new RateLimitingOptions { RedisUrl = "http://cache:6379" }, "RedisUrl: Invalid Redis URL")
            .SetName("Validate_WrongUrlScheme_IsRejected");
        yield return new TestCaseData(new RateLimitingOptions { RedisCommandTimeout = TimeSpan.Zero }, "RedisCommandTimeout and RedisConnectTimeout must be between 1 ms and 1 minute")
            .SetName("Validate_ZeroCommandTimeout_IsRejected");
        yield return new TestCaseData(new RateLimitingOptions { RedisConnectTimeout = TimeSpan.FromHours(1) }, "RedisCommandTimeout and RedisConnectTimeout must be between 1 ms and 1 minute")
            .SetName("Validate_HourLongConnectTimeout_IsRejected");
        yield return new TestCaseData(new RateLimitingOptions { RedisKeyPrefix = "rl:{x}:" }, "must not contain '{' or '}'")
            .SetName("Validate_HashTagInKeyPrefix_IsRejected");
        yield return new TestCaseData(new RateLimitingOptions { RedisProbeDelay = TimeSpan.FromSeconds(5), RedisProbeMaxDelay = TimeSpan.FromSeconds(1) }, "RedisProbeMaxDelay at least as long")
            .SetName("Validate_ProbeMaxBelowBase_IsRejected");
        yield return new TestCaseData(new RateLimitingOptions
        {
            Policies = new(StringComparer.OrdinalIgnoreCase) { ["tools"] = new RateLimitPolicyOptions() },
        }, "Gateway:RateLimiting:Policies:tools:PermitLimit must be at least 1").SetName("Validate_PolicyWithoutLimit_NamesThePolicy");
    }

    [TestCaseSource(nameof(InvalidOptions))]
    public void Validate_InvalidSetting_FailsNamingIt(RateLimitingOptions options, string expected)
    {
        var result = new RateLimitingOptionsValidator().Validate(null, options);

        Assert.That(result.Failed, Is.True);
        Assert.That(result.Failures, Has.Some.Contains(expected));
    }

    [Test]
    public void Validate_Defaults_Succeed()
    {
        Assert.That(new RateLimitingOptionsValidator().Validate(null, new RateLimitingOptions()).Succeeded, Is.True);
    }

    [TestCase("Window", "a minute", "Gateway:RateLimiting:Policies:search could not be read")]
    [TestCase("Algorithm", "Leaky", "Gateway:RateLimiting:Policies:search could not be read")]
    [TestCase("Tiers:free:PermitLimit", "sixty", "Gateway:RateLimiting:Policies:search:Tiers:free could not be read")]
    public void Validate_WithConfiguration_ReportsEntriesTheBinderDropped(string key, string value, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:RateLimiting:Policies:search:PermitLimit"] = "10",
            ["Gateway:RateLimiting:Policies:search:" + key] = value,
        }).Build();
        var options = new RateLimitingOptions();
        configuration.GetSection(RateLimitingOptions.SectionName).Bind(options);

        var result = new RateLimitingOptionsValidator(configuration).Validate(null, options);

        Assert.That(result.Failures, Has.Exactly(1).Contains(expected));
    }

    [Test]
    public void ShippedAppSettings_RateLimitingSection_IsValidAndWorksWithoutRedis()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(RepositoryRoot(), "appsettings.json")).Build();
        var options = new RateLimitingOptions();
        configuration.GetSection(RateLimitingOptions.SectionName).Bind(options);

        var result = new RateLimitingOptionsValidator(configuration).Validate(null, options);

        Assert.That(result.Succeeded, Is.True, result.FailureMessage);
        Assert.That(options.RedisUrl, Is.Null.Or.Empty, "the quick start needs no Redis");
        Assert.That(options.DefaultRequestsPerMinute, Is.EqualTo(600));
    }

    [Test]
    public void Validate_RemovedRedisPoolSize_IsRefusedNamingWhyAndWhatToDo()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:RateLimiting:RedisPoolSize"] = "2",
        }).Build();
        var options = new RateLimitingOptions();
        configuration.GetSection(RateLimitingOptions.SectionName).Bind(options);

        var result = new RateLimitingOptionsValidator(configuration).Validate(null, options);

        Assert.That(result.Failures, Has.Exactly(1).EqualTo(
            "Gateway:RateLimiting:RedisPoolSize is no longer supported: StackExchange.Redis multiplexes every decision over one connection, " +
            "so there is no pool to size; remove the setting."));
    }

    [Test]
    public void Validate_Defaults_WaitASecondForASlowRedisInsteadOfFailingOpen()
    {
        var options = new RateLimitingOptions();

        Assert.That(options.RedisCommandTimeout, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(options.RedisConnectTimeout, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(options.RedisKeyPrefix, Is.EqualTo("ratelimit:"));
    }

    [Test]
    public void Validate_RedisUrlWithPassword_NeverEchoesThePassword()
    {
        var result = new RateLimitingOptionsValidator().Validate(null, new RateLimitingOptions { RedisUrl = "redis://:s3cret@cache:6379/x" });

        Assert.That(result.Failed, Is.True);
        Assert.That(result.FailureMessage, Does.Not.Contain("s3cret"));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "McpGateway.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (McpGateway.slnx) above the test directory.");
    }
}
