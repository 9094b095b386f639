using Gateway.Proxy.Resilience;

namespace Gateway.Tests.Resilience;

public sealed class ResilienceOptionsValidatorTests
{
    public static IEnumerable<TestCaseData> InvalidSettings()
    {
        yield return new TestCaseData(new Action<ResilienceOptions>(o => o.DefaultToolTimeout = TimeSpan.Zero), "DefaultToolTimeout");
        yield return new TestCaseData(new Action<ResilienceOptions>(o => o.DefaultActivityTimeout = TimeSpan.FromSeconds(-1)), "DefaultActivityTimeout");
        yield return new TestCaseData(new Action<ResilienceOptions>(o => o.MaxConcurrentRequestsPerCluster = 0), "MaxConcurrentRequestsPerCluster");
        yield return new TestCaseData(new Action<ResilienceOptions>(o => o.DefaultMaxConnectionsPerServer = 0), "DefaultMaxConnectionsPerServer");
        yield return new TestCaseData(new Action<ResilienceOptions>(o => o.UnavailableTools = (UnavailableToolMode)7), "UnavailableTools");
        yield return new TestCaseData(new Action<ResilienceOptions>(o => o.CircuitBreaker.FailureRatio = 0), "CircuitBreaker:FailureRatio");
        yield return new TestCaseData(new Action<ResilienceOptions>(o => o.CircuitBreaker.MinimumThroughput = 1), "CircuitBreaker:MinimumThroughput");
        yield return new TestCaseData(new Action<ResilienceOptions>(o => o.CircuitBreaker.BreakDuration = TimeSpan.FromMilliseconds(100)), "CircuitBreaker:BreakDuration");
        yield return new TestCaseData(new Action<ResilienceOptions>(o => o.Retry.MaxRetries = 11), "Retry:MaxRetries");
        yield return new TestCaseData(new Action<ResilienceOptions>(o => o.Retry.BaseDelay = TimeSpan.FromSeconds(5)), "Retry:BaseDelay");
        yield return new TestCaseData(new Action<ResilienceOptions>(o => o.Retry.BudgetRatio = 1.5), "Retry:BudgetRatio");
        yield return new TestCaseData(new Action<ResilienceOptions>(o => o.Retry.BudgetWindow = TimeSpan.Zero), "Retry:BudgetWindow");
        yield return new TestCaseData(new Action<ResilienceOptions>(o => o.DrainTimeout = TimeSpan.FromSeconds(-1)), "DrainTimeout");
        yield return new TestCaseData(new Action<ResilienceOptions>(o => o.PreStopDelay = TimeSpan.FromSeconds(-1)), "PreStopDelay");
    }

    [Test]
    public void Validate_Defaults_Succeed()
    {
        var result = new ResilienceOptionsValidator().Validate(null, new ResilienceOptions());

        Assert.That(result.Succeeded, Is.True, result.FailureMessage);
    }

    [TestCaseSource(nameof(InvalidSettings))]
    public void Validate_InvalidSetting_FailsNamingTheSetting(Action<ResilienceOptions> breakIt, string setting)
    {
        var options = new ResilienceOptions();
        breakIt(options);

        var result = new ResilienceOptionsValidator().Validate(null, options);

        Assert.That(result.Failed, Is.True);
        Assert.That(result.FailureMessage, Does.Contain("Gateway:Resilience:" + setting));
    }
}
