namespace Gateway.Proxy.Resilience;

/// <summary>
/// Caps retries per cluster to a share of its calls over a sliding window (plus a small floor), so a failing backend
/// sees at most a bounded amount of extra load and retries cannot snowball into a storm. Counts are kept in time
/// buckets with atomic updates: lock-free, allocation-free, and approximate by at most a few concurrent calls.
/// </summary>
public sealed class RetryBudget
{
    private const int BucketCount = 10;
    private const long NeverUsed = long.MinValue / 2;

    private readonly TimeProvider _time;
    private readonly long _bucketLength;
    private readonly double _ratio;
    private readonly int _minimumRetries;
    private readonly long[] _slices = new long[BucketCount];
    private readonly int[] _requests = new int[BucketCount];
    private readonly int[] _retries = new int[BucketCount];

    public RetryBudget(double ratio, int minimumRetries, TimeSpan window, TimeProvider time)
    {
        _ratio = ratio;
        _minimumRetries = minimumRetries;
        _time = time;
        _bucketLength = Math.Max(1, (long)(window.TotalSeconds * time.TimestampFrequency / BucketCount));
        Array.Fill(_slices, NeverUsed);
    }

    /// <summary>Counts one call (not its retries) toward the budget.</summary>
    public void RecordRequest() => Interlocked.Increment(ref _requests[Bucket(CurrentSlice())]);

    /// <summary>Takes one retry from the budget; false when the window's retries are used up.</summary>
    public bool TryWithdraw()
    {
        var slice = CurrentSlice();
        var bucket = Bucket(slice);
        var requests = 0;
        var retries = 0;
        for (var i = 0; i < BucketCount; i++)
        {
            var age = slice - Volatile.Read(ref _slices[i]);
            if (age is >= 0 and < BucketCount)
            {
                requests += Volatile.Read(ref _requests[i]);
                retries += Volatile.Read(ref _retries[i]);
            }
        }

        if (retries >= Math.Max(_minimumRetries, (int)(requests * _ratio)))
        {
            return false;
        }

        Interlocked.Increment(ref _retries[bucket]);
        return true;
    }

    private long CurrentSlice() => _time.GetTimestamp() / _bucketLength;

    private int Bucket(long slice)
    {
        var index = (int)(slice % BucketCount);
        var seen = Volatile.Read(ref _slices[index]);
        if (seen != slice && Interlocked.CompareExchange(ref _slices[index], slice, seen) == seen)
        {
            // This caller moved the bucket to the new slice, so it clears the old counts.
            Volatile.Write(ref _requests[index], 0);
            Volatile.Write(ref _retries[index], 0);
        }

        return index;
    }
}
