using Gateway.Proxy.RateLimiting;
using Gateway.Transforms.RateLimiting;

namespace Gateway.Tests.RateLimiting;

public sealed class RateLimitPolicyTests
{
    public static IEnumerable<TestCaseData> InvalidPolicies()
    {
        yield return new TestCaseData("p", new RateLimitPolicyOptions { PermitLimit = 0 }, "Policies:p:PermitLimit must be at least 1")
            .SetName("TryCreate_ZeroPermitLimit_NamesTheSetting");
        yield return new TestCaseData("p", new RateLimitPolicyOptions { PermitLimit = 5, Window = TimeSpan.Zero }, "Policies:p:Window must be at least 1 ms")
            .SetName("TryCreate_ZeroWindow_NamesTheSetting");
        yield return new TestCaseData("p", new RateLimitPolicyOptions { PermitLimit = 5, BurstLimit = 10 }, "BurstLimit must be at least 1 and applies only to Algorithm TokenBucket")
            .SetName("TryCreate_BurstOnSlidingWindow_IsRejected");
        yield return new TestCaseData("p", new RateLimitPolicyOptions { PermitLimit = 5, PartitionBy = ["principal", "ip"] }, "unknown value 'ip'; use any of principal, tenant, tier, tool")
            .SetName("TryCreate_UnknownPartition_ListsTheKnownOnes");
        yield return new TestCaseData("p", new RateLimitPolicyOptions { PermitLimit = 5, PartitionBy = ["2"] }, "unknown value '2'")
            .SetName("TryCreate_NumericPartition_IsRejected");
        yield return new TestCaseData("p", new RateLimitPolicyOptions { PermitLimit = 5, PartitionBy = ["tool", "Tool"] }, "lists 'Tool' twice")
            .SetName("TryCreate_DuplicatePartition_IsRejected");
        yield return new TestCaseData("Default", new RateLimitPolicyOptions { PermitLimit = 5 }, "'Default' is reserved")
            .SetName("TryCreate_ReservedNameDefault_IsRejected");
        yield return new TestCaseData("disable", new RateLimitPolicyOptions { PermitLimit = 5 }, "'disable' is reserved")
            .SetName("TryCreate_ReservedNameDisable_IsRejected");
        yield return new TestCaseData("has space", new RateLimitPolicyOptions { PermitLimit = 5 }, "policy names must be 1-64 characters")
            .SetName("TryCreate_NameWithSpace_IsRejected");
        yield return new TestCaseData("p", new RateLimitPolicyOptions
        {
            PermitLimit = 5,
            Tiers = new(StringComparer.OrdinalIgnoreCase) { ["free"] = new RateLimitTierOptions { PermitLimit = 0 } },
        }, "Policies:p:Tiers:free:PermitLimit must be at least 1").SetName("TryCreate_TierWithoutLimit_NamesTheTier");
        yield return new TestCaseData("p", new RateLimitPolicyOptions { PermitLimit = int.MaxValue, Window = TimeSpan.FromDays(3650) }, "Use a shorter Window")
            .SetName("TryCreate_LimitTimesWindowBeyondExactRange_IsRejected");
    }

    [TestCaseSource(nameof(InvalidPolicies))]
    public void TryCreate_InvalidSettings_ReportsWhatToFix(string name, RateLimitPolicyOptions options, string expected)
    {
        var errors = new List<string>();

        var policy = RateLimitPolicy.TryCreate(name, options, errors);

        Assert.That(policy, Is.Null);
        Assert.That(errors, Has.Some.Contains(expected));
    }

    [Test]
    public void TryCreate_WithoutPartitionBy_PartitionsByPrincipal()
    {
        var policy = RateLimitPolicy.TryCreate("p", new RateLimitPolicyOptions { PermitLimit = 5 }, []);

        Assert.That(policy!.PartitionBy, Is.EqualTo(new[] { RateLimitPartitionDimension.Principal }));
    }

    [Test]
    public void TryCreate_PartitionBy_IsCaseInsensitiveAndKeepsOrder()
    {
        var policy = RateLimitPolicy.TryCreate("p", new RateLimitPolicyOptions { PermitLimit = 5, PartitionBy = ["TOOL", "Principal", "tenant"] }, []);

        Assert.That(policy!.PartitionBy, Is.EqualTo(new[]
        {
            RateLimitPartitionDimension.Tool, RateLimitPartitionDimension.Principal, RateLimitPartitionDimension.Tenant,
        }));
    }

    [TestCase("free", 60)]
    [TestCase("FREE", 60)]
    [TestCase("standard", 600)]
    [TestCase("enterprise", 100)]
    [TestCase(null, 100)]
    public void QuotaFor_Tier_UsesTheTierQuotaOrTheBaseLimit(string? tier, int expectedLimit)
    {
        var policy = RateLimitPolicy.TryCreate("tools", new RateLimitPolicyOptions
        {
            PermitLimit = 100,
            Tiers = new(StringComparer.OrdinalIgnoreCase)
            {
                ["free"] = new RateLimitTierOptions { PermitLimit = 60 },
                ["standard"] = new RateLimitTierOptions { PermitLimit = 600 },
            },
        }, [])!;

        var quota = policy.QuotaFor(tier);

        Assert.That(quota.Rule.PermitLimit, Is.EqualTo(expectedLimit));
        Assert.That(quota.Rule.PolicyName, Is.EqualTo("tools"), "tiers share the policy's Redis key space");
    }

    [Test]
    public void QuotaFor_TierWithOwnWindowAndBurst_KeepsThePolicyAlgorithm()
    {
        var policy = RateLimitPolicy.TryCreate("bucket", new RateLimitPolicyOptions
        {
            Algorithm = RateLimitAlgorithm.TokenBucket,
            PermitLimit = 10,
            Window = TimeSpan.FromSeconds(10),
            Tiers = new(StringComparer.OrdinalIgnoreCase) { ["pro"] = new RateLimitTierOptions { PermitLimit = 50, Window = TimeSpan.FromSeconds(5), BurstLimit = 80 } },
        }, [])!;

        var rule = policy.QuotaFor("pro").Rule;

        Assert.That(rule, Is.EqualTo(new RateLimitRule("bucket", RateLimitAlgorithm.TokenBucket, 50, TimeSpan.FromSeconds(5), 80)));
        Assert.That(policy.QuotaFor("pro").Limit, Is.EqualTo(80), "a bucket's limit is its size");
    }

    [Test]
    public void CreateDefault_IsATokenBucketPerPrincipalPerTool()
    {
        var policy = RateLimitPolicy.CreateDefault(600);

        Assert.That(policy.Name, Is.EqualTo("default"));
        Assert.That(policy.Quota.Rule, Is.EqualTo(new RateLimitRule("default", RateLimitAlgorithm.TokenBucket, 600, TimeSpan.FromMinutes(1))));
        Assert.That(policy.PartitionBy, Is.EqualTo(new[] { RateLimitPartitionDimension.Principal, RateLimitPartitionDimension.Tool }));
    }
}
