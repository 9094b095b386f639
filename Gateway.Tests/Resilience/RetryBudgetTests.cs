using Gateway.Proxy.Resilience;
using Gateway.Tests.RateLimiting;

namespace Gateway.Tests.Resilience;

public sealed class RetryBudgetTests
{
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero));

    [Test]
    public void TryWithdraw_QuietCluster_AllowsTheMinimumOnly()
    {
        var budget = new RetryBudget(ratio: 0.1, minimumRetries: 3, TimeSpan.FromSeconds(10), _time);

        var granted = Enumerable.Range(0, 10).Count(_ => budget.TryWithdraw());

        Assert.That(granted, Is.EqualTo(3));
    }

    [Test]
    public void TryWithdraw_BusyCluster_AllowsTheRatioOfItsCalls()
    {
        var budget = new RetryBudget(ratio: 0.1, minimumRetries: 0, TimeSpan.FromSeconds(10), _time);
        for (var i = 0; i < 200; i++)
        {
            budget.RecordRequest();
        }

        var granted = Enumerable.Range(0, 100).Count(_ => budget.TryWithdraw());

        Assert.That(granted, Is.EqualTo(20));
    }

    [Test]
    public void TryWithdraw_AfterTheWindowPasses_BudgetRefills()
    {
        var budget = new RetryBudget(ratio: 0, minimumRetries: 2, TimeSpan.FromSeconds(10), _time);
        Assert.That(budget.TryWithdraw() && budget.TryWithdraw(), Is.True);
        Assert.That(budget.TryWithdraw(), Is.False);

        _time.Advance(TimeSpan.FromSeconds(11));

        Assert.That(budget.TryWithdraw(), Is.True);
    }

    [Test]
    public void TryWithdraw_OldCallsAgeOutOfTheWindow()
    {
        var budget = new RetryBudget(ratio: 0.5, minimumRetries: 0, TimeSpan.FromSeconds(10), _time);
        for (var i = 0; i < 10; i++)
        {
            budget.RecordRequest();
        }

        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.That(budget.TryWithdraw(), Is.False, "calls from three windows ago no longer earn retries");
    }
}
