namespace Gateway.Redis.Connections;

/// <summary>
/// One pooled connection position: reconnects lazily when its connection has died, unless the shared
/// <see cref="ReconnectGate"/> is backing off after a failed connect.
/// </summary>
internal sealed class RedisConnectionSlot : IAsyncDisposable
{
    private readonly RedisConnectionOptions _options;
    private readonly TlsStreamFactory? _tls;
    private readonly PendingReplyPool _pool;
    private readonly ReconnectGate _gate;
    private readonly Lock _sync = new();
    private RedisConnection? _connection;
    private Task<RedisConnection>? _connecting;
    private int _connectAttempts;
    private bool _disposed;

    public RedisConnectionSlot(RedisConnectionOptions options, TlsStreamFactory? tls, PendingReplyPool pool, ReconnectGate gate)
    {
        _options = options;
        _tls = tls;
        _pool = pool;
        _gate = gate;
    }

    /// <summary>The live connection, or null when there is none right now.</summary>
    public RedisConnection? Current
    {
        get
        {
            var connection = Volatile.Read(ref _connection);
            return connection is { IsAlive: true } ? connection : null;
        }
    }

    public int ConnectAttempts => Volatile.Read(ref _connectAttempts);

    /// <summary>A live connection, the connect already under way, or a new connect; throws at once while backing off.</summary>
    public Task<RedisConnection> GetOrConnectAsync()
    {
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_connection is { IsAlive: true } live)
            {
                return Task.FromResult(live);
            }

            if (_connecting is { } connecting)
            {
                return connecting;
            }

            _gate.ThrowIfBackingOff();
            return StartConnect();
        }
    }

    private Task<RedisConnection> StartConnect()
    {
        _connectAttempts++;
        var connecting = Task.Run(ConnectAsync);
        _connecting = connecting;

        // Nobody may await a background connect; observe its failure so it is not reported as unobserved.
        connecting.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return connecting;
    }

    /// <summary>Starts a connect unless one is open, under way, or backing off; used to fill the pool while other slots serve.</summary>
    public void ConnectInBackground()
    {
        lock (_sync)
        {
            if (_disposed || _connection is { IsAlive: true } || _connecting is not null || _gate.IsBackingOff)
            {
                return;
            }

            StartConnect();
        }
    }

    public async ValueTask DisposeAsync()
    {
        RedisConnection? connection;
        lock (_sync)
        {
            _disposed = true;
            connection = _connection;
            _connection = null;
        }

        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<RedisConnection> ConnectAsync()
    {
        RedisConnection? previous;
        lock (_sync)
        {
            previous = _connection;
            _connection = null;
        }

        if (previous is not null)
        {
            await previous.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            var connection = await RedisConnection.OpenAsync(_options, _tls, _pool, CancellationToken.None).ConfigureAwait(false);
            bool disposed;
            lock (_sync)
            {
                disposed = _disposed;
                if (!disposed)
                {
                    _connection = connection;
                }

                _connecting = null;
            }

            _gate.RecordSuccess();

            if (disposed)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw new ObjectDisposedException(nameof(RedisClient));
            }

            return connection;
        }
        catch (RedisException ex)
        {
            _gate.RecordFailure(ex);
            lock (_sync)
            {
                _connecting = null;
            }

            throw;
        }
    }
}
