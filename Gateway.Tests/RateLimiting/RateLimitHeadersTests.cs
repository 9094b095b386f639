using Gateway.Proxy.RateLimiting;
using Gateway.Transforms.RateLimiting;

namespace Gateway.Tests.RateLimiting;

public sealed class RateLimitHeadersTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    [Test]
    public void For_AllowedDecision_WritesLegacyAndStructuredFields()
    {
        var quota = RateLimitPolicy.CreateDefault(600).Quota;
        var decision = new RateLimitDecision(true, 600, 599, Now.AddSeconds(41.2), TimeSpan.Zero);

        var headers = RateLimitHeaders.For(quota, decision, Now).ToDictionary();

        Assert.That(headers, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["X-RateLimit-Limit"] = "600",
            ["X-RateLimit-Remaining"] = "599",
            ["X-RateLimit-Reset"] = "1700000042",
            ["RateLimit-Policy"] = "\"default\";q=600;w=60",
            ["RateLimit"] = "\"default\";r=599;t=42",
        }));
    }

    [Test]
    public void For_ResetInThePast_NeverReportsNegativeSeconds()
    {
        var quota = RateLimitPolicy.CreateDefault(10).Quota;
        var decision = new RateLimitDecision(true, 10, 10, Now.AddSeconds(-3), TimeSpan.Zero);

        var headers = RateLimitHeaders.For(quota, decision, Now).ToDictionary();

        Assert.That(headers["RateLimit"], Is.EqualTo("\"default\";r=10;t=0"));
    }

    [TestCase(0.001, 1)]
    [TestCase(0.0, 1)]
    [TestCase(1.0, 1)]
    [TestCase(1.2, 2)]
    [TestCase(59.9, 60)]
    public void RetryAfterSeconds_RoundsUpToWholeSecondsAndAtLeastOne(double seconds, long expected)
    {
        var decision = new RateLimitDecision(false, 1, 0, Now, TimeSpan.FromSeconds(seconds));

        Assert.That(RateLimitHeaders.RetryAfterSeconds(decision), Is.EqualTo(expected));
    }
}
