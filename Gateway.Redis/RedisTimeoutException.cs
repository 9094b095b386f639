namespace Gateway.Redis;

/// <summary>A command (or the connect it waited for) exceeded its time budget.</summary>
public sealed class RedisTimeoutException : RedisException
{
    public RedisTimeoutException(string message)
        : base(message)
    {
    }
}
