namespace Gateway.Transforms.Mapping;

/// <summary>Binds one tool argument to a named place in the backend request (query parameter, body field or header).</summary>
public readonly record struct ArgumentBinding(string Target, string Argument)
{
    /// <summary>Parses <c>"name"</c> or <c>"target=argument"</c>.</summary>
    public static bool TryParse(string text, out ArgumentBinding binding)
    {
        var trimmed = text.AsSpan().Trim();
        var equals = trimmed.IndexOf('=');
        if (equals < 0)
        {
            binding = new ArgumentBinding(trimmed.ToString(), trimmed.ToString());
            return trimmed.Length > 0;
        }

        var target = trimmed[..equals].Trim();
        var argument = trimmed[(equals + 1)..].Trim();
        binding = new ArgumentBinding(target.ToString(), argument.ToString());
        return target.Length > 0 && argument.Length > 0;
    }
}
