using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Federation;

public sealed class FederationOptionsValidator : IValidateOptions<FederationOptions>
{
    public ValidateOptionsResult Validate(string? name, FederationOptions options)
    {
        var errors = new List<string>();
        if (options.RefreshInterval < TimeSpan.FromSeconds(1) || options.RefreshInterval > TimeSpan.FromDays(1))
        {
            errors.Add($"{FederationOptions.SectionName}:RefreshInterval is {options.RefreshInterval}; use 00:00:01 to 1.00:00:00 (default 00:05:00). Upstream list_changed notifications refresh sooner anyway.");
        }

        if (options.ConnectTimeout < TimeSpan.FromMilliseconds(100) || options.ConnectTimeout > TimeSpan.FromMinutes(5))
        {
            errors.Add($"{FederationOptions.SectionName}:ConnectTimeout is {options.ConnectTimeout}; use 00:00:00.100 to 00:05:00 (default 00:00:10).");
        }

        if (options.MaxClientBoundSessions is < 1 or > 100_000)
        {
            errors.Add($"{FederationOptions.SectionName}:MaxClientBoundSessions is {options.MaxClientBoundSessions}; use 1 to 100000 (default 1000).");
        }

        if (options.ClientBoundSessionIdleTimeout < TimeSpan.FromSeconds(1) || options.ClientBoundSessionIdleTimeout > TimeSpan.FromDays(1))
        {
            errors.Add($"{FederationOptions.SectionName}:ClientBoundSessionIdleTimeout is {options.ClientBoundSessionIdleTimeout}; use 00:00:01 to 1.00:00:00 (default 00:10:00).");
        }

        if (options.MaxPrincipalSessions is < 1 or > 100_000)
        {
            errors.Add($"{FederationOptions.SectionName}:MaxPrincipalSessions is {options.MaxPrincipalSessions}; use 1 to 100000 (default 1000).");
        }

        if (options.PrincipalSessionIdleTimeout < TimeSpan.FromSeconds(1) || options.PrincipalSessionIdleTimeout > TimeSpan.FromDays(1))
        {
            errors.Add($"{FederationOptions.SectionName}:PrincipalSessionIdleTimeout is {options.PrincipalSessionIdleTimeout}; use 00:00:01 to 1.00:00:00 (default 00:10:00).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
