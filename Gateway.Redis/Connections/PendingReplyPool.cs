using System.Collections.Concurrent;

namespace Gateway.Redis.Connections;

/// <summary>A bounded free list of reply slots.</summary>
internal sealed class PendingReplyPool
{
    private const int MaxRetained = 1024;
    private readonly ConcurrentQueue<PendingReply> _free = new();
    private int _count;

    public PendingReply Rent()
    {
        if (_free.TryDequeue(out var reply))
        {
            Interlocked.Decrement(ref _count);
            return reply;
        }

        return new PendingReply(this);
    }

    public void Return(PendingReply reply)
    {
        if (Interlocked.Increment(ref _count) <= MaxRetained)
        {
            _free.Enqueue(reply);
        }
        else
        {
            Interlocked.Decrement(ref _count);
        }
    }
}
