namespace Gateway.Redis;

/// <summary>Base of every failure the Redis client reports, so callers can fail open on any of them.</summary>
public abstract class RedisException : Exception
{
    protected RedisException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>The server answered with an error reply (<c>-ERR ...</c>, <c>-NOSCRIPT ...</c>, <c>-WRONGTYPE ...</c>).</summary>
public sealed class RedisServerException : RedisException
{
    public RedisServerException(string serverMessage)
        : base(serverMessage)
    {
        var space = serverMessage.IndexOf(' ', StringComparison.Ordinal);
        Prefix = space < 0 ? serverMessage : serverMessage[..space];
    }

    /// <summary>The error code: the first word of the reply, e.g. <c>ERR</c>, <c>NOSCRIPT</c>, <c>WRONGPASS</c>.</summary>
    public string Prefix { get; }

    public bool IsNoScript => Prefix == "NOSCRIPT";
}

/// <summary>No usable connection: connect refused or timed out, TLS or AUTH failed, the connection dropped, or reconnects are backing off.</summary>
public sealed class RedisConnectionException : RedisException
{
    public RedisConnectionException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>A command (or the connect it waited for) exceeded its time budget.</summary>
public sealed class RedisTimeoutException : RedisException
{
    public RedisTimeoutException(string message)
        : base(message)
    {
    }
}

/// <summary>The server sent bytes that are not valid RESP2; the connection was closed.</summary>
public sealed class RedisProtocolException : RedisException
{
    public RedisProtocolException(string message)
        : base(message)
    {
    }
}
