namespace Gateway.Proxy.Configuration;

/// <summary>The first routes.json could not be loaded; startup stops with every error listed.</summary>
public sealed class RoutesConfigException : Exception
{
    public RoutesConfigException(string path, IReadOnlyList<string> errors)
        : base($"routes.json '{path}' is invalid ({errors.Count} error(s)):{Environment.NewLine}  - {string.Join(Environment.NewLine + "  - ", errors)}")
    {
        Errors = errors;
    }

    public IReadOnlyList<string> Errors { get; }
}
