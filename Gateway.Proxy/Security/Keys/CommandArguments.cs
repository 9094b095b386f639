namespace Gateway.Proxy.Security.Keys;

/// <summary>Positional arguments and <c>--name value</c> / <c>--name=value</c> options of one CLI command.</summary>
internal sealed class CommandArguments
{
    private readonly Dictionary<string, string> _options;

    private CommandArguments(List<string> positional, Dictionary<string, string> options)
    {
        Positional = positional;
        _options = options;
    }

    public IReadOnlyList<string> Positional { get; }

    public static CommandArguments? Parse(IReadOnlyList<string> args, IReadOnlySet<string> allowed, out string? error)
    {
        error = null;
        var positional = new List<string>();
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                positional.Add(arg);
                continue;
            }

            var equals = arg.IndexOf('=');
            var name = equals < 0 ? arg[2..] : arg[2..equals];
            if (!allowed.Contains(name))
            {
                error = $"unknown option '--{name}'; this command takes {string.Join(", ", allowed.Order().Select(a => "--" + a))}";
                return null;
            }

            string value;
            if (equals >= 0)
            {
                value = arg[(equals + 1)..];
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++i];
            }
            else
            {
                error = $"option '--{name}' needs a value";
                return null;
            }

            if (!options.TryAdd(name, value))
            {
                error = $"option '--{name}' is given twice";
                return null;
            }
        }

        return new CommandArguments(positional, options);
    }

    public string? Get(string name) => _options.TryGetValue(name, out var value) ? value : null;

    public static IReadOnlyList<string> SplitList(string? value) =>
        value is null ? [] : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
