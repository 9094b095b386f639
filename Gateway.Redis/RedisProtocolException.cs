namespace Gateway.Redis;

/// <summary>The server sent bytes that are not valid RESP2; the connection was closed.</summary>
public sealed class RedisProtocolException : RedisException
{
    public RedisProtocolException(string message)
        : base(message)
    {
    }
}
