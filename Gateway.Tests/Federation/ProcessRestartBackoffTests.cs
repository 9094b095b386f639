using Gateway.Proxy.Federation;

namespace Gateway.Tests.Federation;

public sealed class ProcessRestartBackoffTests
{
    [Test]
    public void QuickExits_DoubleTheWait_UpToAMinute_AndALongRunStartsAfresh()
    {
        var time = new ManualTime();
        var backoff = new ProcessRestartBackoff(time);

        var waits = Enumerable.Range(0, 8).Select(_ => backoff.RecordExit(TimeSpan.FromSeconds(2)).TotalSeconds).ToList();
        var afterLongRun = backoff.RecordExit(TimeSpan.FromMinutes(5));

        Assert.Multiple(() =>
        {
            Assert.That(waits, Is.EqualTo(new double[] { 1, 2, 4, 8, 16, 32, 60, 60 }));
            Assert.That(afterLongRun, Is.EqualTo(TimeSpan.FromSeconds(1)));
        });
    }

    [Test]
    public void Remaining_CountsDownToZero()
    {
        var time = new ManualTime();
        var backoff = new ProcessRestartBackoff(time);
        backoff.RecordExit(TimeSpan.Zero);
        backoff.RecordExit(TimeSpan.Zero);

        var atOnce = backoff.Remaining;
        time.Advance(TimeSpan.FromSeconds(1.5));
        var later = backoff.Remaining;
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Multiple(() =>
        {
            Assert.That(atOnce, Is.EqualTo(TimeSpan.FromSeconds(2)));
            Assert.That(later, Is.EqualTo(TimeSpan.FromSeconds(0.5)));
            Assert.That(backoff.Remaining, Is.EqualTo(TimeSpan.Zero));
        });
    }

    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
