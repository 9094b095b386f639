using StackExchange.Redis;

namespace Gateway.Transforms.RateLimiting;

/// <summary>
/// One StackExchange.Redis multiplexer, connecting from construction. Decisions that arrive before the first connect
/// attempt has finished wait for it (at most its connect timeout) instead of failing fast on a replica that is still
/// starting: this is what keeps a shared limit exact from the first request.
/// </summary>
public sealed class RedisConnection : IAsyncDisposable
{
    private readonly Task<ConnectionMultiplexer> _connecting;
    private IDatabase? _database;

    public RedisConnection(ConfigurationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _connecting = ConnectionMultiplexer.ConnectAsync(options);
    }

    public bool IsConnected => _connecting.IsCompletedSuccessfully && _connecting.Result.IsConnected;

    public ValueTask<IDatabase> GetDatabaseAsync() =>
        _database is { } database ? ValueTask.FromResult(database) : new ValueTask<IDatabase>(ConnectedDatabaseAsync());

    /// <summary>The multiplexer once the first connect attempt has finished (connected or not: it keeps retrying).</summary>
    public Task<ConnectionMultiplexer> MultiplexerAsync() => _connecting;

    public async ValueTask DisposeAsync()
    {
        ConnectionMultiplexer multiplexer;
        try
        {
            multiplexer = await _connecting.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return;
        }

        await multiplexer.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<IDatabase> ConnectedDatabaseAsync()
    {
        var database = (await _connecting.ConfigureAwait(false)).GetDatabase();
        Volatile.Write(ref _database, database);
        return database;
    }
}
