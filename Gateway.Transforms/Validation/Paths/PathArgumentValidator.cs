using System.Text.Json;
using Gateway.Transforms.Pipeline;

namespace Gateway.Transforms.Validation.Paths;

/// <summary>
/// Confines path arguments to the allowed roots. For tool calls the argument is replaced by its canonical form (or the
/// form relative to its root), so the backend receives exactly the path that was checked.
/// </summary>
public sealed class PathArgumentValidator : IArgumentValidator
{
    public const string SecurityFlag = "path_rejected";

    private readonly ConfinedPathValidator _validator;

    public PathArgumentValidator(IReadOnlyList<string> arguments, PathPolicy policy, bool forwardRelative)
    {
        Arguments = arguments;
        Policy = policy;
        ForwardRelative = forwardRelative;
        _validator = new ConfinedPathValidator(policy);
    }

    public IReadOnlyList<string> Arguments { get; }

    public PathPolicy Policy { get; }

    public bool ForwardRelative { get; }

    public GatewayRejection? Validate(CallArguments arguments, ref Dictionary<string, string>? replacements)
    {
        foreach (var name in Arguments)
        {
            var lookup = arguments.Find(name);
            if (lookup.Presence == ArgumentPresence.Absent)
            {
                continue;
            }

            if (lookup.Presence == ArgumentPresence.Ambiguous)
            {
                return Reject(name, "ambiguous_argument", lookup.Problem!);
            }

            var value = lookup.Value;
            if (value.ValueKind != JsonValueKind.String)
            {
                return Reject(name, "not_a_string", $"argument '{name}' must be a path string.");
            }

            if (!ArgumentText.TryGet(value, out var raw))
            {
                return Reject(name, PathRejection.InvalidCharacter.ToString(), $"argument '{name}' is not well-formed Unicode (an unpaired surrogate such as \\ud800); send well-formed text.");
            }

            var result = _validator.Validate(raw);
            if (!result.IsAllowed)
            {
                return Reject(name, result.Reason.ToString(), $"argument '{name}': {result.Message}");
            }

            var forwarded = ForwardRelative ? RelativeToRoot(result.CanonicalPath!) : result.CanonicalPath!;
            if (!string.Equals(forwarded, raw, StringComparison.Ordinal))
            {
                (replacements ??= new Dictionary<string, string>(StringComparer.Ordinal))[name] = forwarded;
            }
        }

        return null;
    }

    private string RelativeToRoot(string canonical)
    {
        var separator = Policy.Rules == PathRules.Windows ? '\\' : '/';
        var comparison = Policy.IsCaseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        foreach (var root in Policy.AllowedRoots)
        {
            var trimmed = root.TrimEnd('/', '\\');
            if (string.Equals(canonical.TrimEnd('/', '\\'), trimmed, comparison))
            {
                return ".";
            }

            if (canonical.StartsWith(trimmed + separator, comparison))
            {
                // "a:b" alone would read as a URI to the backend; "./a:b" is the same file and cannot.
                var relative = canonical[(trimmed.Length + 1)..];
                return UriSchemePrefix.Length(relative, out _) > 0 ? "./" + relative : relative;
            }
        }

        return canonical;
    }

    private static GatewayRejection Reject(string argument, string reason, string message) =>
        new(400, GatewayErrorCodes.PathValidationError, message, RejectionKind.ToolError)
        {
            SecurityFlag = SecurityFlag,
            Data = new Dictionary<string, object?> { ["argument"] = argument, ["reason"] = reason },
        };
}
