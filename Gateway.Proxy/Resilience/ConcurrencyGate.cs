namespace Gateway.Proxy.Resilience;

/// <summary>A bulkhead: at most <see cref="Limit"/> calls in flight; the next one is refused at once instead of queuing.</summary>
public sealed class ConcurrencyGate
{
    private int _inFlight;
    private int _limit;

    public ConcurrencyGate(int limit) => _limit = limit;

    public int Limit
    {
        get => Volatile.Read(ref _limit);
        set => Volatile.Write(ref _limit, value);
    }

    public int InFlight => Volatile.Read(ref _inFlight);

    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _inFlight) <= Limit)
        {
            return true;
        }

        Interlocked.Decrement(ref _inFlight);
        return false;
    }

    public void Exit() => Interlocked.Decrement(ref _inFlight);
}
