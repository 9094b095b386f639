namespace Gateway.Redis.Protocol;

/// <summary>Bounds that keep a hostile or broken server from making the parser allocate without limit.</summary>
internal readonly record struct RespLimits(int MaxBulkLength, int MaxArrayLength, int MaxReplyBytes)
{
    public const int MaxDepth = 32;

    /// <summary>Simple strings, errors and length lines longer than this without CRLF are protocol errors.</summary>
    public const int MaxLineLength = 64 * 1024;

    public static RespLimits From(RedisConnectionOptions options) =>
        new(options.MaxBulkLength, options.MaxArrayLength, options.MaxReplyBytes);
}
