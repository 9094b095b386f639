namespace Gateway.Proxy.Federation.Health;

/// <summary><c>Gateway:Federation:Health</c>: the dual check (REST and MCP) of each upstream MCP server.</summary>
public sealed class UpstreamHealthOptions
{
    public const string SectionName = "Gateway:Federation:Health";

    /// <summary>How often each upstream is checked (its cluster's destination health, and a <c>tools/list</c> on its session).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for the <c>tools/list</c> probe; longer counts as a failed MCP check.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);
}

public sealed class UpstreamHealthOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<UpstreamHealthOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, UpstreamHealthOptions options)
    {
        var errors = new List<string>();
        if (options.Interval < TimeSpan.FromSeconds(1) || options.Interval > TimeSpan.FromHours(1))
        {
            errors.Add($"{UpstreamHealthOptions.SectionName}:Interval is {options.Interval}; use 00:00:01 to 01:00:00 (default 00:00:30).");
        }

        if (options.Timeout < TimeSpan.FromMilliseconds(100) || options.Timeout > TimeSpan.FromMinutes(1))
        {
            errors.Add($"{UpstreamHealthOptions.SectionName}:Timeout is {options.Timeout}; use 00:00:00.100 to 00:01:00 (default 00:00:05).");
        }

        return errors.Count == 0 ? Microsoft.Extensions.Options.ValidateOptionsResult.Success : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(errors);
    }
}
