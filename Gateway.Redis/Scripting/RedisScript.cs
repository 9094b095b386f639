using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Redis.Scripting;

/// <summary>
/// A Lua script run by SHA1 (EVALSHA) so only the hash crosses the wire; when the server's script cache has been
/// flushed or restarted (NOSCRIPT), it is sent once in full with EVAL, which also re-caches it.
/// </summary>
public sealed class RedisScript
{
    public RedisScript(string source)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        Source = source;
        Sha1 = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(source)));
    }

    public string Source { get; }

    /// <summary>Lower-case hex SHA1 of <see cref="Source"/>, as SCRIPT LOAD reports it.</summary>
    public string Sha1 { get; }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<RedisValue> EvaluateAsync(
        IRedisClient client, ReadOnlyMemory<string> keys, ReadOnlyMemory<RedisArg> args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        try
        {
            return await client.EvalShaAsync(Sha1, keys, args, cancellationToken).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.IsNoScript)
        {
            return await client.EvalAsync(Source, keys, args, cancellationToken).ConfigureAwait(false);
        }
    }
}
