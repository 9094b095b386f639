using System.Text.Json;

namespace Gateway.Transforms.Federation;

/// <summary>
/// Reads an upstream's <c>"Resources": { "Include": [...], "Exclude": [...] }</c> (resource URIs and URI templates,
/// each checked by <see cref="ResourceUriPattern.TryParse"/>) and <c>"Prompts": { ... }</c> (upstream prompt names),
/// with the same entry syntax as the tools' <c>Include</c>/<c>Exclude</c>.
/// </summary>
public static class UpstreamPrimitiveListsParser
{
    public const string ResourcesKey = "Resources";
    public const string PromptsKey = "Prompts";

    private static readonly string[] s_promptKeys = ["Include", "Exclude"];

    // Uris is read by UpstreamResourcesParser; the keys of the one Resources object are checked here, once.
    private static readonly string[] s_resourceKeys = ["Include", "Exclude", UpstreamResourcesParser.UrisKey];

    public static UpstreamPrimitiveLists ParseResources(JsonElement upstream, string owner, List<string> errors) =>
        Parse(upstream, ResourcesKey, s_resourceKeys, "resource URIs or URI templates in canonical form, such as \"file:///docs/*\"", owner, errors, CheckUri);

    public static UpstreamPrimitiveLists ParsePrompts(JsonElement upstream, string owner, List<string> errors) =>
        Parse(upstream, PromptsKey, s_promptKeys, "upstream prompt names", owner, errors, check: null);

    private static UpstreamPrimitiveLists Parse(
        JsonElement upstream, string key, string[] keys, string what, string owner, List<string> errors, Func<string, string?>? check)
    {
        if (!FederationSectionParser.TryGet(upstream, key, out var element))
        {
            return UpstreamPrimitiveLists.None;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{owner}: '{key}' must be an object such as {{ \"Include\": [ ... ], \"Exclude\": [ ... ] }} of {what}"
                + (key == ResourcesKey ? $" (and \"{UpstreamResourcesParser.UrisKey}\": \"Verbatim\" to keep the upstream's own URIs)" : ""));
            return UpstreamPrimitiveLists.None;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (!keys.Contains(property.Name, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add($"{owner}: unknown key '{key}.{property.Name}'; allowed: {string.Join(", ", keys)}");
            }
        }

        var include = FederationSectionParser.ReadNames(element, "Include", owner, errors, $"{key}.Include", what);
        var exclude = FederationSectionParser.ReadNames(element, "Exclude", owner, errors, $"{key}.Exclude", what);
        if (check is not null)
        {
            foreach (var (list, name) in new[] { (include, "Include"), (exclude, "Exclude") })
            {
                foreach (var entry in list)
                {
                    if (check(entry) is { } problem)
                    {
                        errors.Add($"{owner}: '{key}.{name}' entry {problem}");
                    }
                }
            }
        }

        foreach (var both in exclude.Where(e => include.Contains(e, StringComparer.Ordinal)))
        {
            errors.Add($"{owner}: '{both}' is both in '{key}.Include' and in '{key}.Exclude'; keep it in one of them");
        }

        return new UpstreamPrimitiveLists(include, exclude);
    }

    private static string? CheckUri(string entry) => ResourceUriPattern.TryParse(entry, out _, out var error) ? null : error;
}
