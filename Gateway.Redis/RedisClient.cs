using System.Diagnostics;
using Gateway.Redis.Connections;
using Gateway.Redis.Protocol;

namespace Gateway.Redis;

/// <summary>
/// RESP2 client over <see cref="RedisConnectionOptions.PoolSize"/> multiplexed connections. Multiplexing (rather than one
/// command per pooled connection) pipelines concurrent commands, so a few sockets carry any request rate, each command
/// costs no connection checkout, and many gateway replicas stay gentle on the server's connection count. Commands are
/// spread round-robin; a command never waits longer than <see cref="RedisConnectionOptions.CommandTimeout"/>, including
/// any wait for a reconnect.
/// </summary>
public sealed class RedisClient : IRedisClient
{
    private readonly RedisConnectionOptions _options;
    private readonly RedisConnectionSlot[] _slots;
    private readonly Timer _deadlineTimer;
    private readonly long _commandTimeoutTicks;
    private int _nextSlot;
    private int _disposed;

    public RedisClient(RedisConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        _options = options;
        _commandTimeoutTicks = Ticks.From(options.CommandTimeout);

        var tls = options.UseTls ? new TlsStreamFactory(options) : null;
        var pool = new PendingReplyPool();
        var gate = new ReconnectGate(options);
        _slots = new RedisConnectionSlot[options.PoolSize];
        for (var i = 0; i < _slots.Length; i++)
        {
            _slots[i] = new RedisConnectionSlot(options, tls, pool, gate);
        }

        var tick = TimeSpan.FromMilliseconds(Math.Clamp(options.CommandTimeout.TotalMilliseconds / 5, 1, 50));
        _deadlineTimer = new Timer(static state => ((RedisClient)state!).CheckDeadlines(), this, tick, tick);
    }

    public RedisConnectionOptions Options => _options;

    public bool IsConnected
    {
        get
        {
            foreach (var slot in _slots)
            {
                if (slot.Current is not null)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Connect attempts made so far, across all pooled connections (for diagnostics and tests).</summary>
    internal int ConnectAttempts
    {
        get
        {
            var total = 0;
            foreach (var slot in _slots)
            {
                total += slot.ConnectAttempts;
            }

            return total;
        }
    }

    /// <summary>Opens every pooled connection now instead of on first use; fails if none can be opened.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        var connects = new Task[_slots.Length];
        for (var i = 0; i < _slots.Length; i++)
        {
            connects[i] = _slots[i].GetOrConnectAsync().WaitAsync(cancellationToken);
        }

        try
        {
            await Task.WhenAll(connects).ConfigureAwait(false);
        }
        catch (RedisException) when (IsConnected)
        {
            // One live connection is enough to serve; the others retry lazily.
        }
    }

    public ValueTask<RedisValue> ExecuteAsync(string command, ReadOnlyMemory<RedisArg> args, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        return SendAsync(new RedisCommand(command, args), cancellationToken);
    }

    public ValueTask<RedisValue> EvalShaAsync(
        string sha1, ReadOnlyMemory<string> keys, ReadOnlyMemory<RedisArg> args, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sha1);
        return SendAsync(new RedisCommand("EVALSHA", sha1, keys, args), cancellationToken);
    }

    public ValueTask<RedisValue> EvalAsync(
        string script, ReadOnlyMemory<string> keys, ReadOnlyMemory<RedisArg> args, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(script);
        return SendAsync(new RedisCommand("EVAL", script, keys, args), cancellationToken);
    }

    public async ValueTask<string> ScriptLoadAsync(string script, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(script);
        RedisArg[] args = ["LOAD", script];
        var reply = await SendAsync(new RedisCommand("SCRIPT", args), cancellationToken).ConfigureAwait(false);
        return reply.AsString() ?? throw new RedisProtocolException("SCRIPT LOAD returned no SHA1.");
    }

    public async ValueTask<TimeSpan> PingAsync(CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        await SendAsync(new RedisCommand("PING", default), cancellationToken).ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(started);
    }

    public async ValueTask<DateTimeOffset> TimeAsync(CancellationToken cancellationToken = default)
    {
        var reply = await SendAsync(new RedisCommand("TIME", default), cancellationToken).ConfigureAwait(false);
        if (reply.Length != 2 || !reply[0].TryGetInt64(out var seconds) || !reply[1].TryGetInt64(out var micros))
        {
            throw new RedisProtocolException("TIME did not return [seconds, microseconds].");
        }

        return DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(micros * 10);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _deadlineTimer.DisposeAsync().ConfigureAwait(false);
        foreach (var slot in _slots)
        {
            await slot.DisposeAsync().ConfigureAwait(false);
        }
    }

    public override string ToString() => _options.ToString();

    private ValueTask<RedisValue> SendAsync(in RedisCommand command, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var deadline = Stopwatch.GetTimestamp() + _commandTimeoutTicks;
        var first = (int)((uint)Interlocked.Increment(ref _nextSlot) % (uint)_slots.Length);
        var preferred = _slots[first];
        var connection = preferred.Current;
        if (connection is not null)
        {
            return connection.SendAsync(command, deadline, cancellationToken);
        }

        for (var i = 1; i < _slots.Length; i++)
        {
            connection = _slots[(first + i) % _slots.Length].Current;
            if (connection is not null)
            {
                // Serve from a live connection now, and let the pool fill up behind it.
                preferred.ConnectInBackground();
                return connection.SendAsync(command, deadline, cancellationToken);
            }
        }

        return SendAfterConnectAsync(command, preferred, deadline, cancellationToken);
    }

    private async ValueTask<RedisValue> SendAfterConnectAsync(
        RedisCommand command, RedisConnectionSlot slot, long deadline, CancellationToken cancellationToken)
    {
        var connecting = slot.GetOrConnectAsync();
        var remaining = deadline - Stopwatch.GetTimestamp();
        RedisConnection connection;
        try
        {
            connection = await connecting.WaitAsync(Ticks.ToTimeSpan(Math.Max(remaining, 0)), cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new RedisTimeoutException(
                $"No Redis connection to {_options.Host}:{_options.Port} became ready within the " +
                $"{_options.CommandTimeout.TotalMilliseconds} ms command timeout; the connect continues in the background.");
        }

        return await connection.SendAsync(command, deadline, cancellationToken).ConfigureAwait(false);
    }

    private void CheckDeadlines()
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var slot in _slots)
        {
            slot.Current?.CheckDeadlines(now);
        }
    }

    private static void Validate(RedisConnectionOptions options)
    {
        if (options.PoolSize < 1)
        {
            throw new ArgumentException("Redis PoolSize must be at least 1.", nameof(options));
        }

        if (options.ConnectTimeout <= TimeSpan.Zero || options.CommandTimeout <= TimeSpan.Zero || options.StalledConnectionTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("Redis ConnectTimeout, CommandTimeout and StalledConnectionTimeout must be positive.", nameof(options));
        }

        if (options.MaxBulkLength < 1 || options.MaxArrayLength < 1 || options.MaxReplyBytes < 16 || options.MaxPendingCommands < 1)
        {
            throw new ArgumentException("Redis reply and queue limits must be positive.", nameof(options));
        }
    }
}
