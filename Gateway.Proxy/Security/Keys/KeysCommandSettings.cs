namespace Gateway.Proxy.Security.Keys;

/// <summary>What the key commands need from the gateway's configuration: the key file and the tier names.</summary>
public sealed record KeysCommandSettings(string FilePath, IReadOnlyList<string> Tiers, TimeProvider Time)
{
    public static KeysCommandSettings FromConfiguration(IConfiguration configuration, string baseDirectory)
    {
        var options = new SecurityOptions();
        configuration.GetSection(SecurityOptions.SectionName).Bind(options);
        return new KeysCommandSettings(Path.GetFullPath(options.ApiKeys.Path, baseDirectory), options.EffectiveTiers, TimeProvider.System);
    }

    /// <summary>The file given with <c>--file</c>, or the configured one.</summary>
    internal string FileFor(CommandArguments arguments) => arguments.Get("file") is { } file ? Path.GetFullPath(file) : FilePath;
}
