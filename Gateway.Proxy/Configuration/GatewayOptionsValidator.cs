using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Configuration;

public sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.RoutesPath))
        {
            failures.Add("Gateway:RoutesPath must name the routes file (e.g. 'routes.json').");
        }

        if (options.RoutesPollInterval < TimeSpan.FromMilliseconds(100))
        {
            failures.Add($"Gateway:RoutesPollInterval is {options.RoutesPollInterval}; use at least 00:00:00.1.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
