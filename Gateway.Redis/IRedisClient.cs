namespace Gateway.Redis;

/// <summary>
/// The Redis operations the gateway needs; small enough that a library client can stand in for <see cref="RedisClient"/>.
/// Argument and key memory must stay valid until the returned task completes. Error replies are thrown as
/// <see cref="RedisServerException"/>; every failure derives from <see cref="RedisException"/>.
/// </summary>
public interface IRedisClient : IAsyncDisposable
{
    /// <summary>True while at least one pooled connection is open.</summary>
    bool IsConnected { get; }

    ValueTask<RedisValue> ExecuteAsync(string command, ReadOnlyMemory<RedisArg> args, CancellationToken cancellationToken = default);

    ValueTask<RedisValue> EvalShaAsync(
        string sha1, ReadOnlyMemory<string> keys, ReadOnlyMemory<RedisArg> args, CancellationToken cancellationToken = default);

    ValueTask<RedisValue> EvalAsync(
        string script, ReadOnlyMemory<string> keys, ReadOnlyMemory<RedisArg> args, CancellationToken cancellationToken = default);

    /// <summary>Caches the script on the server and returns its SHA1 (lower-case hex).</summary>
    ValueTask<string> ScriptLoadAsync(string script, CancellationToken cancellationToken = default);

    /// <summary>Round-trip time of a PING.</summary>
    ValueTask<TimeSpan> PingAsync(CancellationToken cancellationToken = default);

    /// <summary>The server clock (TIME).</summary>
    ValueTask<DateTimeOffset> TimeAsync(CancellationToken cancellationToken = default);
}
