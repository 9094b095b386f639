namespace Gateway.Proxy.Security.Keys;

/// <summary>The key file: <c>{ "version": 1, "keys": [ ... ] }</c>.</summary>
public sealed class ApiKeyDocument
{
    public const int CurrentVersion = 1;

    public int Version { get; set; } = CurrentVersion;

    public IList<ApiKeyRecord> Keys { get; set; } = [];
}
