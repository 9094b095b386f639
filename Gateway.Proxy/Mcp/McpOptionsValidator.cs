using Gateway.Proxy.Security.DnsRebinding;
using Gateway.Proxy.Tools.ResultSize;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Mcp;

public sealed class McpOptionsValidator : IValidateOptions<McpOptions>
{
    private const long MaxBodyLimit = 1L << 30;
    private const long MinEventStoreBytes = 1L << 20;
    private const long MaxEventStoreBytes = 4L << 30;

    public ValidateOptionsResult Validate(string? name, McpOptions options)
    {
        var failures = new List<string>();
        foreach (var origin in options.AllowedOrigins)
        {
            if (origin == "*")
            {
                failures.Add("Gateway:Mcp:AllowedOrigins must not contain '*': it disables DNS-rebinding protection. List the origins (e.g. 'https://app.example.com').");
            }
            else if (!OriginPolicy.TryParseEntry(origin, out _))
            {
                failures.Add($"Gateway:Mcp:AllowedOrigins entry '{origin}' is not an origin; use scheme://host[:port] or scheme://host:* (e.g. 'http://localhost:*').");
            }
        }

        foreach (var host in options.AllowedHosts)
        {
            if (host == "*")
            {
                failures.Add("Gateway:Mcp:AllowedHosts must not contain '*': it disables DNS-rebinding protection. List the host names clients use (e.g. 'gw.example.com').");
            }
            else if (!HostPolicy.IsValidEntry(host))
            {
                failures.Add($"Gateway:Mcp:AllowedHosts entry '{host}' is not a host name or IP address; use a name such as 'gw.example.com' or an address such as '10.0.0.5' (no scheme, port, wildcard or trailing dot).");
            }
        }

        ValidateResumability(options, failures);

        if (options.SessionIdleTimeout <= TimeSpan.Zero)
        {
            failures.Add("Gateway:Mcp:SessionIdleTimeout must be positive (e.g. '00:10:00').");
        }

        if (options.MaxSessions < 1)
        {
            failures.Add("Gateway:Mcp:MaxSessions must be at least 1.");
        }

        if (options.MaxSessionsPerPrincipal < 1 || options.MaxSessionsPerPrincipal > options.MaxSessions)
        {
            failures.Add($"Gateway:Mcp:MaxSessionsPerPrincipal must be between 1 and Gateway:Mcp:MaxSessions ({options.MaxSessions}), got {options.MaxSessionsPerPrincipal}; e.g. 100.");
        }

        if (!ResultSizeMetadata.TryParse(options.MaxResultBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), out _))
        {
            failures.Add($"Gateway:Mcp:MaxResultBytes must be between 1 and {ResultSizeMetadata.MaxAllowed} bytes, got {options.MaxResultBytes}; e.g. 1048576 (1 MiB).");
        }

        if (options.MaxStreams < 1)
        {
            failures.Add($"Gateway:Mcp:MaxStreams must be at least 1, got {options.MaxStreams}; e.g. 1000.");
        }

        if (options.MaxStreamsPerPrincipal < 1 || options.MaxStreamsPerPrincipal > options.MaxStreams)
        {
            failures.Add($"Gateway:Mcp:MaxStreamsPerPrincipal must be between 1 and Gateway:Mcp:MaxStreams ({options.MaxStreams}), got {options.MaxStreamsPerPrincipal}; e.g. 10.");
        }

        if (options.MaxListenStreams < 1)
        {
            failures.Add($"Gateway:Mcp:MaxListenStreams must be at least 1, got {options.MaxListenStreams}; e.g. 1000.");
        }

        if (options.MaxListenStreamsPerPrincipal < 1 || options.MaxListenStreamsPerPrincipal > options.MaxListenStreams)
        {
            failures.Add($"Gateway:Mcp:MaxListenStreamsPerPrincipal must be between 1 and Gateway:Mcp:MaxListenStreams ({options.MaxListenStreams}), got {options.MaxListenStreamsPerPrincipal}; e.g. 10.");
        }

        if (options.Instructions is { } instructions && (string.IsNullOrWhiteSpace(instructions) || instructions.Length > ServerInstructions.MaxLength))
        {
            failures.Add($"Gateway:Mcp:Instructions must be non-blank text of at most {ServerInstructions.MaxLength} characters (it is sent to every client on initialize), " +
                $"got {(string.IsNullOrWhiteSpace(instructions) ? "blank text" : $"{instructions.Length} characters")}; remove it to use the summary drawn from routes.json.");
        }

        if (options.MaxRequestBodyBytes is < 1024 or > MaxBodyLimit)
        {
            failures.Add($"Gateway:Mcp:MaxRequestBodyBytes must be between 1024 and {MaxBodyLimit} (1 GiB); the default is 1048576.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateResumability(McpOptions options, List<string> failures)
    {
        var resumability = options.Resumability;
        if (!resumability.Enabled)
        {
            return;
        }

        if (!options.Stateful)
        {
            failures.Add("Gateway:Mcp:Resumability:Enabled needs Gateway:Mcp:Stateful=true (environment MCP_GATEWAY_MCP_STATEFUL=true): a stream is resumed within its session. Enable sessions or remove the setting.");
        }

        if (resumability.EventRetention <= TimeSpan.Zero || resumability.EventRetention > TimeSpan.FromDays(1))
        {
            failures.Add($"Gateway:Mcp:Resumability:EventRetention must be positive and at most one day, got '{resumability.EventRetention}'; e.g. '00:05:00'.");
        }

        if (resumability.MaxBytes < MinEventStoreBytes || resumability.MaxBytes > MaxEventStoreBytes)
        {
            failures.Add($"Gateway:Mcp:Resumability:MaxBytes must be between {MinEventStoreBytes} (1 MiB) and {MaxEventStoreBytes} (4 GiB), got {resumability.MaxBytes}; e.g. 67108864 (64 MiB).");
        }
    }
}
