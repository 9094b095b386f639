namespace Gateway.Redis;

/// <summary>Base of every failure the Redis client reports, so callers can fail open on any of them.</summary>
public abstract class RedisException : Exception
{
    protected RedisException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
