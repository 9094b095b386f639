namespace Gateway.Redis;

internal enum RedisArgKind : byte
{
    Text,
    Integer,
    Real,
    Bytes,
}
