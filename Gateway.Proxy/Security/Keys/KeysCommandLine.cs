using Gateway.Proxy.Hosting;

namespace Gateway.Proxy.Security.Keys;

/// <summary>
/// <c>Gateway.Proxy keys create|rotate|revoke|list|report</c>: manages the API key file without starting the gateway. A new key
/// is printed once on stdout (so scripts can capture it) and only its hash is stored; everything else goes to stderr.
/// </summary>
public static class KeysCommandLine
{
    public const string CommandName = "keys";

    public const int Success = 0;
    public const int Failed = 1;
    public const int UsageError = 2;

    internal const string Usage = """
        Usage: Gateway.Proxy keys <command> [options]

          create --subject <name> --tier <tier> [--tenant <tenant>] [--scopes a,b] [--roles a,b]
                 [--expires 90d|12h|30m|<UTC date>|never] [--description <text>] [--file <path>]
              Creates a key, prints it once on stdout and stores only its SHA-256 hash. --expires defaults to 90d.
          rotate <id> [--grace 24h|7d|<UTC date>] [--expires 90d|never] [--file <path>]
              Creates a key with the same subject, tenant, tier, scopes and roles, prints it once on stdout, and keeps
              the old key valid for the grace period (default 24h, never past its own expiry); then it is revoked.
          revoke <id> [--file <path>]
              Marks the key as revoked; the gateway rejects it as soon as it reloads the file.
          list [--file <path>]
              Shows every key's id, subject, tenant, tier, scopes, expiry and status (never the key).
          report [--format text|json] [--warn-days 7] [--audit <path>] [--file <path>]
              Each key's subject, tier, created, expires, days left, last use (from the audit trail) and the
              expired/expiring flags the McpApiKeyExpiringSoon alert fires on.

        --file defaults to Gateway:Auth:ApiKeys:Path from appsettings.json or MCP_GATEWAY_API_KEYS_PATH (default apikeys.json);
        --audit to Gateway:Audit:Path or MCP_GATEWAY_AUDIT_LOG_PATH (default logs/audit.jsonl).
        """;

    /// <param name="args">The arguments after <c>keys</c>.</param>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, KeysCommandSettings? settings = null)
    {
        if (args.Count == 0 || args[0] is "help" or "--help" or "-h")
        {
            await (args.Count == 0 ? error : output).WriteLineAsync(Usage);
            return args.Count == 0 ? UsageError : Success;
        }

        settings ??= KeysCommandSettings.FromConfiguration(LoadConfiguration(Directory.GetCurrentDirectory()), Directory.GetCurrentDirectory());
        var rest = args.Skip(1).ToList();
        try
        {
            return args[0] switch
            {
                "create" => await CreateKeyCommand.RunAsync(rest, output, error, settings),
                "rotate" => await RotateKeyCommand.RunAsync(rest, output, error, settings),
                "revoke" => await RevokeKeyCommand.RunAsync(rest, error, settings),
                "report" => await ReportKeysCommand.RunAsync(rest, output, error, settings),
                "list" => await ListKeysCommand.RunAsync(rest, output, error, settings),
                _ => await UnknownAsync(args[0], error),
            };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return Failed;
        }
    }

    internal static async Task<int> UsageFailureAsync(TextWriter error, string message)
    {
        await error.WriteLineAsync($"error: {message}");
        await error.WriteLineAsync("Run 'keys help' for usage.");
        return UsageError;
    }

    /// <summary>The same sources the gateway reads its key file path and tiers from.</summary>
    private static IConfiguration LoadConfiguration(string directory)
    {
        var environment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? "Production";
        return new ConfigurationBuilder()
            .SetBasePath(directory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddEnvironmentVariables()
            .AddGatewayEnvironmentAliases()
            .Build();
    }

    private static Task<int> UnknownAsync(string command, TextWriter error) =>
        UsageFailureAsync(error, $"unknown command '{command}'; use create, rotate, revoke, list or report");
}
