using System.Threading.Tasks.Sources;

namespace Gateway.Redis.Connections;

/// <summary>
/// The awaitable slot for one command's reply, pooled to keep the hot path allocation-free.
/// Two parties own it: the caller (until it reads the result) and the connection's FIFO (until the reply arrives or the
/// connection dies). A timed-out command keeps its FIFO place so later replies still match; its late reply is dropped.
/// </summary>
internal sealed class PendingReply : IValueTaskSource<RedisValue>
{
    private const int Pending = 0;
    private const int Completed = 1;

    private readonly PendingReplyPool _pool;
    private ManualResetValueTaskSourceCore<RedisValue> _core = new() { RunContinuationsAsynchronously = true };
    private CancellationTokenRegistration _cancellation;
    private int _state;
    private int _owners;

    public PendingReply(PendingReplyPool pool) => _pool = pool;

    /// <summary><see cref="System.Diagnostics.Stopwatch"/> timestamp after which the command has failed.</summary>
    public long Deadline { get; private set; }

    /// <summary>When the command was queued (Stopwatch timestamp); drives stalled-connection detection.</summary>
    public long SentAt { get; private set; }

    public bool IsCompleted => Volatile.Read(ref _state) == Completed;

    public ValueTask<RedisValue> Task => new(this, _core.Version);

    public void Start(long sentAt, long deadline, CancellationToken cancellationToken)
    {
        SentAt = sentAt;
        Deadline = deadline;
        _state = Pending;
        _owners = 2;
        if (cancellationToken.CanBeCanceled)
        {
            _cancellation = cancellationToken.UnsafeRegister(
                static (state, token) => ((PendingReply)state!).TrySetException(new OperationCanceledException(token)),
                this);
        }
    }

    public bool TrySetResult(in RedisValue value)
    {
        if (Interlocked.Exchange(ref _state, Completed) != Pending)
        {
            return false;
        }

        if (value.Kind == RedisValueKind.Error)
        {
            _core.SetException(new RedisServerException(value.AsString() ?? string.Empty));
        }
        else
        {
            _core.SetResult(value);
        }

        return true;
    }

    public bool TrySetException(Exception exception)
    {
        if (Interlocked.Exchange(ref _state, Completed) != Pending)
        {
            return false;
        }

        _core.SetException(exception);
        return true;
    }

    /// <summary>Called by the connection once the reply slot has left its FIFO.</summary>
    public void ReleaseFromQueue() => Release();

    RedisValue IValueTaskSource<RedisValue>.GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            // Dispose (not Unregister) waits for a callback already running, so it cannot fire on a recycled slot.
            _cancellation.Dispose();
            _cancellation = default;
            Release();
        }
    }

    ValueTaskSourceStatus IValueTaskSource<RedisValue>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<RedisValue>.OnCompleted(
        Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    private void Release()
    {
        if (Interlocked.Decrement(ref _owners) == 0)
        {
            _core.Reset();
            _pool.Return(this);
        }
    }
}
