namespace Gateway.Redis;

/// <summary>The RESP2 reply types.</summary>
public enum RedisValueKind : byte
{
    Null,
    SimpleString,
    Error,
    Integer,
    BulkString,
    Array,
}
