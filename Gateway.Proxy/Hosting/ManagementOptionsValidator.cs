using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Hosting;

public sealed class ManagementOptionsValidator(ManagementListener listener, IConfiguration configuration) : IValidateOptions<ManagementOptions>
{
    public ValidateOptionsResult Validate(string? name, ManagementOptions options)
    {
        if (options.Port is not { } port)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (port is < 1 or > 65535)
        {
            failures.Add($"Gateway:Management:Port (MCP_GATEWAY_MANAGEMENT_PORT) is {port}; use a port number from 1 to 65535 that differs from the main port, e.g. 9090.");
        }
        else if (listener.ConflictingUrls() is { Count: > 0 } conflicts)
        {
            failures.Add($"Gateway:Management:Port (MCP_GATEWAY_MANAGEMENT_PORT) is {port}, which the main listener already uses ({string.Join(", ", conflicts)}); " +
                "pick another port for the management listener, e.g. 9090.");
        }
        else if (configuration.GetSection("Kestrel:Endpoints").GetChildren().Any())
        {
            failures.Add("Gateway:Management:Port cannot be combined with Kestrel:Endpoints: the management listener is added to the urls " +
                "(ASPNETCORE_URLS, --urls, MCP_GATEWAY_HOST/MCP_GATEWAY_PORT). Configure the main listener through urls instead.");
        }
        else if (listener.Port != port || listener.Urls.Count == 0)
        {
            failures.Add("Gateway:Management:Port is set but no main listen URL was found to derive the management address from; " +
                "set the main address with ASPNETCORE_URLS, --urls or MCP_GATEWAY_HOST/MCP_GATEWAY_PORT.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
