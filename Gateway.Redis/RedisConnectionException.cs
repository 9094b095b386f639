namespace Gateway.Redis;

/// <summary>No usable connection: connect refused or timed out, TLS or AUTH failed, the connection dropped, or reconnects are backing off.</summary>
public sealed class RedisConnectionException : RedisException
{
    public RedisConnectionException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
