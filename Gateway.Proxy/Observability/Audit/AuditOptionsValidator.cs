using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Observability.Audit;

public sealed class AuditOptionsValidator : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            failures.Add($"Audit:Path is empty; set it (or {AuditOptions.PathEnvironmentVariable}) to a file such as '{AuditOptions.DefaultPath}'.");
        }
        else if (options.Path.EndsWith('/') || options.Path.EndsWith('\\') || System.IO.Path.GetFileName(options.Path).Length == 0)
        {
            failures.Add($"Audit:Path '{options.Path}' names a directory; it must name a file such as '{AuditOptions.DefaultPath}'.");
        }
        else if (options.Path.IndexOfAny(System.IO.Path.GetInvalidPathChars()) >= 0)
        {
            failures.Add($"Audit:Path '{options.Path}' contains characters that are not valid in a path.");
        }

        if (options.QueueCapacity < 1)
        {
            failures.Add($"Audit:QueueCapacity is {options.QueueCapacity}; it must be at least 1 (for example 10000).");
        }

        if (options.MaxFileBytes < 0)
        {
            failures.Add($"Audit:MaxFileBytes is {options.MaxFileBytes}; use a positive size in bytes, or 0 to turn off size rotation.");
        }

        if (options.MaxRetainedFiles < 1)
        {
            failures.Add($"Audit:MaxRetainedFiles is {options.MaxRetainedFiles}; it must be at least 1.");
        }

        if (options.ForwardBatchSize < 1)
        {
            failures.Add($"Audit:ForwardBatchSize is {options.ForwardBatchSize}; it must be at least 1 (for example 500).");
        }

        if (options.ForwardTimeout <= TimeSpan.Zero)
        {
            failures.Add($"Audit:ForwardTimeout is {options.ForwardTimeout}; it must be positive (for example 00:00:05).");
        }

        if (options.AuditServiceUrl is { } url
            && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            failures.Add($"Audit:AuditServiceUrl '{url}' must be an absolute http or https URL, or unset to keep the trail local.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
