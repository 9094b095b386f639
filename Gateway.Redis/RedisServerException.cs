namespace Gateway.Redis;

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
