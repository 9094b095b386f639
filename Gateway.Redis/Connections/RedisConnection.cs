using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using Gateway.Redis.Protocol;

namespace Gateway.Redis.Connections;

/// <summary>
/// One multiplexed connection. Callers append commands to an in-memory pipe and the reply FIFO under one lock, so
/// order on the wire always matches FIFO order; a single send loop drains the pipe (coalescing pipelined commands into
/// few writes) and a single receive loop matches each parsed reply to the FIFO head. Any protocol or I/O fault tears the
/// whole connection down: replies can never be matched to the wrong command.
/// </summary>
internal sealed class RedisConnection : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly Pipe _outgoing = new(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
    private readonly PipeReader _incoming;
    private readonly Queue<PendingReply> _inflight = new();
    private readonly Lock _sync = new();
    private readonly PendingReplyPool _pool;
    private readonly RespLimits _limits;
    private readonly int _maxPending;
    private readonly long _stalledAfterTicks;
    private readonly string _endpoint;
    private Exception? _failure;
    private Task _sendLoop = Task.CompletedTask;
    private Task _receiveLoop = Task.CompletedTask;

    private RedisConnection(Stream stream, RedisConnectionOptions options, PendingReplyPool pool)
    {
        _stream = stream;
        _pool = pool;
        _limits = RespLimits.From(options);
        _maxPending = options.MaxPendingCommands;
        _stalledAfterTicks = Ticks.From(options.StalledConnectionTimeout);
        _endpoint = $"{options.Host}:{options.Port}";
        _incoming = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
    }

    public bool IsAlive => Volatile.Read(ref _failure) is null;

    /// <summary>Opens TCP (and TLS), then pipelines AUTH and SELECT, all within the connect timeout.</summary>
    public static async Task<RedisConnection> OpenAsync(
        RedisConnectionOptions options, TlsStreamFactory? tls, PendingReplyPool pool, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        var deadline = Stopwatch.GetTimestamp() + Ticks.From(options.ConnectTimeout);
        var endpoint = $"{options.Host}:{options.Port}";

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        RedisConnection? connection = null;
        try
        {
            await socket.ConnectAsync(options.Host, options.Port, timeout.Token).ConfigureAwait(false);
            stream = new NetworkStream(socket, ownsSocket: true);
            if (tls is not null)
            {
                stream = await tls.AuthenticateAsync(stream, timeout.Token).ConfigureAwait(false);
            }

            connection = new RedisConnection(stream, options, pool);
            connection.Start();
            await connection.HandshakeAsync(options, deadline, timeout.Token).ConfigureAwait(false);
            return connection;
        }
        catch (Exception ex)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            else if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                socket.Dispose();
            }

            throw ex switch
            {
                OperationCanceledException when !cancellationToken.IsCancellationRequested => new RedisConnectionException(
                    $"Connecting to Redis at {endpoint} timed out after {options.ConnectTimeout.TotalMilliseconds} ms.", ex),
                SocketException socketError => new RedisConnectionException(
                    $"Cannot connect to Redis at {endpoint}: {socketError.SocketErrorCode}.", ex),
                RedisServerException serverError => new RedisConnectionException(
                    $"Redis at {endpoint} rejected the connection handshake: {serverError.Message}. Check the user, password and database in the URL.",
                    ex),
                RedisException => ex,
                OperationCanceledException => ex,
                _ => new RedisConnectionException($"Cannot connect to Redis at {endpoint}: {ex.Message}", ex),
            };
        }
    }

    /// <summary>Queues a command; the returned task completes with its reply, a server error, a timeout or a connection failure.</summary>
    /// <remarks>The command's argument memory must stay valid until this call returns.</remarks>
    public ValueTask<RedisValue> SendAsync(in RedisCommand command, long deadline, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<RedisValue>(cancellationToken);
        }

        var reply = _pool.Rent();
        lock (_sync)
        {
            if (_failure is not null)
            {
                _pool.Return(reply);
                return ValueTask.FromException<RedisValue>(Closed(_failure));
            }

            if (_inflight.Count >= _maxPending)
            {
                _pool.Return(reply);
                return ValueTask.FromException<RedisValue>(new RedisConnectionException(
                    $"More than {_maxPending} commands are waiting for Redis at {_endpoint}; failing fast instead of queueing."));
            }

            RespWriter.WriteCommand(_outgoing.Writer, command);
            reply.Start(Stopwatch.GetTimestamp(), deadline, cancellationToken);
            _inflight.Enqueue(reply);

            // pauseWriterThreshold: 0 means this never waits; it only wakes the send loop.
            _outgoing.Writer.FlushAsync(CancellationToken.None).GetAwaiter().GetResult();
        }

        return reply.Task;
    }

    /// <summary>Fails commands past their deadline, and tears the connection down if the oldest reply is hopelessly late.</summary>
    public void CheckDeadlines(long now)
    {
        var stalled = false;
        lock (_sync)
        {
            foreach (var reply in _inflight)
            {
                if (now >= reply.Deadline && !reply.IsCompleted)
                {
                    reply.TrySetException(new RedisTimeoutException(
                        $"Redis at {_endpoint} did not answer within the command timeout. The reply will be discarded when it arrives."));
                }
            }

            if (_inflight.TryPeek(out var oldest) && now - oldest.SentAt > _stalledAfterTicks)
            {
                stalled = true;
            }
        }

        if (stalled)
        {
            Fail(new RedisConnectionException($"Redis at {_endpoint} stopped answering; the connection was closed and will be reopened."));
        }
    }

    public async ValueTask DisposeAsync()
    {
        Fail(new RedisConnectionException($"The connection to Redis at {_endpoint} was closed by the client."));
        await Task.WhenAll(_sendLoop, _receiveLoop).ConfigureAwait(false);
    }

    private void Start()
    {
        _sendLoop = Task.Run(SendLoopAsync);
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    private async Task HandshakeAsync(RedisConnectionOptions options, long deadline, CancellationToken cancellationToken)
    {
        var auth = ValueTask.FromResult(RedisValue.Null);
        if (options.Password is { } password)
        {
            RedisArg[] credentials = options.User is { } user ? [user, password] : [password];
            auth = SendAsync(new RedisCommand("AUTH", credentials), deadline, cancellationToken);
        }

        var select = ValueTask.FromResult(RedisValue.Null);
        if (options.Database != 0)
        {
            select = SendAsync(new RedisCommand("SELECT", new RedisArg[] { options.Database }), deadline, cancellationToken);
        }

        Exception? authFailure = null;
        try
        {
            await auth.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            authFailure = ex;
        }

        try
        {
            await select.ConfigureAwait(false);
        }
        catch (RedisServerException) when (authFailure is not null)
        {
            // The pipelined SELECT fails with NOAUTH after a failed AUTH; the AUTH error is the one worth reporting.
        }

        if (authFailure is not null)
        {
            ExceptionDispatchInfo.Throw(authFailure);
        }
    }

    private async Task SendLoopAsync()
    {
        var reader = _outgoing.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                foreach (var segment in buffer)
                {
                    await _stream.WriteAsync(segment).ConfigureAwait(false);
                }

                await _stream.FlushAsync().ConfigureAwait(false);
                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception ex)
        {
            Fail(new RedisConnectionException($"Sending to Redis at {_endpoint} failed: {ex.Message}", ex));
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (true)
            {
                var result = await _incoming.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                while (RespParser.TryRead(ref buffer, _limits, out var value))
                {
                    Deliver(value);
                }

                _incoming.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    Fail(new RedisConnectionException(buffer.IsEmpty
                        ? $"Redis at {_endpoint} closed the connection."
                        : $"Redis at {_endpoint} closed the connection in the middle of a reply."));
                    return;
                }
            }
        }
        catch (RedisException ex)
        {
            Fail(ex);
        }
        catch (Exception ex)
        {
            Fail(new RedisConnectionException($"Receiving from Redis at {_endpoint} failed: {ex.Message}", ex));
        }
        finally
        {
            await _incoming.CompleteAsync().ConfigureAwait(false);
        }
    }

    private void Deliver(in RedisValue value)
    {
        PendingReply? reply;
        lock (_sync)
        {
            _inflight.TryDequeue(out reply);
        }

        if (reply is null)
        {
            throw new RedisProtocolException($"Redis at {_endpoint} sent a reply nobody asked for; the connection was closed.");
        }

        reply.TrySetResult(value);
        reply.ReleaseFromQueue();
    }

    private void Fail(Exception reason)
    {
        PendingReply[] orphans;
        lock (_sync)
        {
            if (_failure is not null)
            {
                return;
            }

            _failure = reason;
            orphans = _inflight.ToArray();
            _inflight.Clear();
            _outgoing.Writer.Complete();
        }

        // Closing the stream ends both loops.
        _stream.Dispose();
        for (var i = 0; i < orphans.Length; i++)
        {
            // The command whose reply was malformed gets the protocol error itself; the rest learn the connection died.
            orphans[i].TrySetException(i == 0 && reason is RedisProtocolException ? reason : Closed(reason));
            orphans[i].ReleaseFromQueue();
        }
    }

    // A fresh instance per waiter: one exception object must not be thrown on many threads at once.
    private static RedisConnectionException Closed(Exception reason) => new(reason.Message, reason);
}
