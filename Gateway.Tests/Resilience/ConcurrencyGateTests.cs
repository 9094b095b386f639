using Gateway.Proxy.Resilience;

namespace Gateway.Tests.Resilience;

public sealed class ConcurrencyGateTests
{
    [Test]
    public void TryEnter_UpToTheLimit_ThenRefusesUntilASlotIsReturned()
    {
        var gate = new ConcurrencyGate(2);

        var first = gate.TryEnter();
        var second = gate.TryEnter();
        var third = gate.TryEnter();
        gate.Exit();
        var afterExit = gate.TryEnter();

        Assert.That(new[] { first, second, third, afterExit }, Is.EqualTo(new[] { true, true, false, true }));
        Assert.That(gate.InFlight, Is.EqualTo(2), "a refused entry leaves no trace");
    }

    [Test]
    public void Limit_RaisedWhileFull_AdmitsMore()
    {
        var gate = new ConcurrencyGate(1);
        gate.TryEnter();

        gate.Limit = 2;

        Assert.That(gate.TryEnter(), Is.True);
    }

    [Test]
    public async Task TryEnter_UnderContention_NeverAdmitsMoreThanTheLimit()
    {
        var gate = new ConcurrencyGate(8);
        var peak = 0;
        var inside = 0;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 2000; i++)
            {
                if (gate.TryEnter())
                {
                    var now = Interlocked.Increment(ref inside);
                    InterlockedMax(ref peak, now);
                    Interlocked.Decrement(ref inside);
                    gate.Exit();
                }
            }
        })));

        Assert.That(peak, Is.InRange(1, 8));
        Assert.That(gate.InFlight, Is.Zero);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
