namespace Gateway.Transforms.Federation;

/// <summary>How an upstream's tools are named in the gateway's catalog: <c>{namespace}{separator}{tool}</c>, or the upstream's own name with an empty namespace.</summary>
public sealed record UpstreamToolNames(string Namespace, string Separator)
{
    public const int MaxSeparatorLength = 4;
    public const int MaxNamespaceLength = 64;

    /// <summary>Every name this upstream exposes starts with this (empty: no prefix).</summary>
    public string Prefix => Namespace.Length == 0 ? string.Empty : Namespace + Separator;

    public string Expose(string upstreamToolName) => Prefix + upstreamToolName;

    public static bool IsValidSeparator(string separator) =>
        separator.Length is > 0 and <= MaxSeparatorLength && separator.All(c => c is '_' or '-' or '.');

    public const int MaxToolNameLength = 128;

    public static bool IsValidNamespace(string ns) => ns.Length <= MaxNamespaceLength && IsValidToolName(ns);

    /// <summary>MCP tool names as the gateway publishes them: 1-128 of A-Z, a-z, 0-9, '_', '-', '.'.</summary>
    public static bool IsValidToolName(string name) =>
        name.Length is > 0 and <= MaxToolNameLength && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');
}
