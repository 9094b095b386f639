namespace Gateway.Redis.Protocol;

/// <summary>
/// A command as the caller gave it, serialized straight into the send buffer.
/// Script commands (<see cref="Script"/> set) are written as <c>NAME script numkeys keys... args...</c>.
/// </summary>
internal readonly struct RedisCommand
{
    public RedisCommand(string name, ReadOnlyMemory<RedisArg> args)
    {
        Name = name;
        Args = args;
    }

    public RedisCommand(string name, string script, ReadOnlyMemory<string> keys, ReadOnlyMemory<RedisArg> args)
    {
        Name = name;
        Script = script;
        Keys = keys;
        Args = args;
    }

    public string Name { get; }

    public string? Script { get; }

    public ReadOnlyMemory<string> Keys { get; }

    public ReadOnlyMemory<RedisArg> Args { get; }

    public int PartCount => 1 + (Script is null ? 0 : 2 + Keys.Length) + Args.Length;
}
