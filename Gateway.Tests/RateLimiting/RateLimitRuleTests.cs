using Gateway.Transforms.RateLimiting;

namespace Gateway.Tests.RateLimiting;

public sealed class RateLimitRuleTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Test]
    public void Constructor_TokenBucketWithBurst_UsesBurstAsCapacity()
    {
        var rule = new RateLimitRule("p", RateLimitAlgorithm.TokenBucket, 10, Minute, BurstLimit: 25);

        Assert.That(rule.Capacity, Is.EqualTo(25));
        Assert.That(rule.WindowMilliseconds, Is.EqualTo(60_000));
    }

    private static IEnumerable<TestCaseData> InvalidRules()
    {
        yield return new TestCaseData("", RateLimitAlgorithm.SlidingWindow, 1, Minute, null, "PolicyName").SetName("Constructor_EmptyPolicyName_Throws");
        yield return new TestCaseData("p", RateLimitAlgorithm.SlidingWindow, 0, Minute, null, "PermitLimit").SetName("Constructor_ZeroPermitLimit_Throws");
        yield return new TestCaseData("p", RateLimitAlgorithm.SlidingWindow, 5, TimeSpan.Zero, null, "Window").SetName("Constructor_ZeroWindow_Throws");
        yield return new TestCaseData("p", RateLimitAlgorithm.SlidingWindow, 5, Minute, 10, "BurstLimit").SetName("Constructor_BurstOnSlidingWindow_Throws");
        yield return new TestCaseData("p", RateLimitAlgorithm.TokenBucket, 5, Minute, 0, "BurstLimit").SetName("Constructor_ZeroBurst_Throws");
        yield return new TestCaseData("p", (RateLimitAlgorithm)7, 5, Minute, null, "algorithm").SetName("Constructor_UnknownAlgorithm_Throws");
        yield return new TestCaseData("p", RateLimitAlgorithm.TokenBucket, int.MaxValue, TimeSpan.FromDays(3650), null, "2^53")
            .SetName("Constructor_LimitTimesWindowBeyondExactIntegers_Throws");
    }

    [TestCaseSource(nameof(InvalidRules))]
    public void Constructor_InvalidValue_ThrowsNamingTheField(
        string policy, RateLimitAlgorithm algorithm, int limit, TimeSpan window, int? burst, string mentioned)
    {
        var error = Assert.Throws<ArgumentException>(() => _ = new RateLimitRule(policy, algorithm, limit, window, burst));

        Assert.That(error!.Message, Does.Contain(mentioned));
    }
}
