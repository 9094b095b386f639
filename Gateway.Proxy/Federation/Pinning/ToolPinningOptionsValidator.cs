using Gateway.Transforms.Federation.Pinning;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Federation.Pinning;

public sealed class ToolPinningOptionsValidator : IValidateOptions<ToolPinningOptions>
{
    public ValidateOptionsResult Validate(string? name, ToolPinningOptions options)
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(options.Unpinned))
        {
            errors.Add($"{ToolPinningOptions.SectionName}:Unpinned is {options.Unpinned}; use Allow or Quarantine.");
        }

        if (options.File is { } file && (file.Trim().Length == 0 || file.IndexOfAny(Path.GetInvalidPathChars()) >= 0))
        {
            errors.Add($"{ToolPinningOptions.SectionName}:File '{file}' is not a usable path; leave it unset for routes.pins.json beside routes.json.");
        }

        if (options.PollInterval < TimeSpan.FromMilliseconds(100) || options.PollInterval > TimeSpan.FromHours(1))
        {
            errors.Add($"{ToolPinningOptions.SectionName}:PollInterval is {options.PollInterval}; use 00:00:00.100 to 01:00:00 (default 00:00:02).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
