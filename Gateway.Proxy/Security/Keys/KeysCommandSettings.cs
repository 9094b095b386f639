namespace Gateway.Proxy.Security.Keys;

/// <summary>What the key commands need from the gateway's configuration: the key file and the tier names.</summary>
public sealed record KeysCommandSettings(string FilePath, IReadOnlyList<string> Tiers, TimeProvider Time)
{
    public static KeysCommandSettings FromConfiguration(IConfiguration configuration, string baseDirectory)
    {
        var options = new SecurityOptions();
        configuration.GetSection(SecurityOptions.SectionName).Bind(options);
        var auditPath = configuration["Gateway:Audit:Path"] ?? DefaultAuditPath;
        return new KeysCommandSettings(Path.GetFullPath(options.ApiKeys.Path, baseDirectory), options.EffectiveTiers, TimeProvider.System)
        {
            AuditPath = Path.GetFullPath(auditPath, baseDirectory),
        };
    }

    /// <summary>The gateway's default audit trail (<c>Gateway:Audit:Path</c>).</summary>
    public const string DefaultAuditPath = "logs/audit.jsonl";

    /// <summary>The audit trail <c>keys report</c> reads last use from; <c>--audit</c> overrides it.</summary>
    public string? AuditPath { get; init; }

    /// <summary>The file given with <c>--file</c>, or the configured one.</summary>
    internal string FileFor(CommandArguments arguments) => arguments.Get("file") is { } file ? Path.GetFullPath(file) : FilePath;
}
