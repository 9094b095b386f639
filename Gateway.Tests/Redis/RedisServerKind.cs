namespace Gateway.Tests.Redis;

public enum RedisServerKind
{
    /// <summary>Microsoft Garnet, from the repository's tool manifest (<c>dotnet tool restore</c>).</summary>
    Garnet,

    /// <summary>Debian's <c>redis-server</c>; tests using it are ignored when it is not installed.</summary>
    Redis,
}
