namespace Gateway.Transforms.Validation.Paths;

/// <summary>
/// <c>{ "ValidatePath": "path,target", "AllowedRoots": "/srv/repos", "PathRules": "Posix", "CaseSensitive": "true",
/// "Symlinks": "ResolveOnGateway", "AllowRelative": "true", "ForwardRelative": "false" }</c>. Runs once per call,
/// before anything is forwarded. <c>"ResolveSymlinks": "true"</c> is still read as <c>"Symlinks": "ResolveOnGateway"</c>;
/// <c>"false"</c> is refused, because not resolving links is only safe when the backend confines them (say so with
/// <c>"Symlinks": "BackendConfines"</c>).
/// </summary>
public sealed class PathValidationTransformFactory : ValidatingTransformFactory
{
    public const string ArgumentsKey = "ValidatePath";
    public const string RootsKey = "AllowedRoots";
    public const string RulesKey = "PathRules";
    public const string CaseSensitiveKey = "CaseSensitive";
    public const string SymlinksKey = "Symlinks";
    public const string ResolveSymlinksKey = "ResolveSymlinks";
    public const string AllowRelativeKey = "AllowRelative";
    public const string ForwardRelativeKey = "ForwardRelative";

    private static readonly string[] s_keys = [ArgumentsKey, RootsKey, RulesKey, CaseSensitiveKey, SymlinksKey, ResolveSymlinksKey, AllowRelativeKey, ForwardRelativeKey];

    protected override string Key => ArgumentsKey;

    protected override IArgumentValidator? Create(IReadOnlyDictionary<string, string> values, List<string> errors)
    {
        TransformConfig.RejectUnknownKeys(values, s_keys, ArgumentsKey, errors);
        var arguments = TransformConfig.List(values, ArgumentsKey);
        if (arguments.Length == 0)
        {
            errors.Add($"'{ArgumentsKey}' must name the path argument(s), e.g. \"path\"");
        }

        var roots = TransformConfig.List(values, RootsKey);
        if (roots.Length == 0)
        {
            errors.Add($"'{RootsKey}' is required: the absolute root(s) paths must stay under, e.g. \"/srv/repos\"");
        }

        var rules = PathRules.Posix;
        if (values.TryGetValue(RulesKey, out var rulesText) && !Configuration.EnumNames.TryParse(rulesText, out rules))
        {
            errors.Add($"'{RulesKey}' must be Posix or Windows, got '{rulesText}'");
        }

        bool? caseSensitive = values.ContainsKey(CaseSensitiveKey) ? TransformConfig.Bool(values, CaseSensitiveKey, true, errors) : null;
        var policy = new PathPolicy
        {
            AllowedRoots = roots,
            Rules = rules,
            CaseSensitive = caseSensitive,
            Symlinks = ReadSymlinks(values, errors),
            AllowRelative = TransformConfig.Bool(values, AllowRelativeKey, true, errors),
        };
        var forwardRelative = TransformConfig.Bool(values, ForwardRelativeKey, false, errors);

        if (roots.Length > 0)
        {
            foreach (var problem in ConfinedPathValidator.ValidatePolicy(policy))
            {
                errors.Add($"{RootsKey}: {problem}");
            }
        }

        return errors.Count == 0 ? new PathArgumentValidator(arguments, policy, forwardRelative) : null;
    }

    private static SymlinkHandling ReadSymlinks(IReadOnlyDictionary<string, string> values, List<string> errors)
    {
        var names = string.Join(" or ", Enum.GetNames<SymlinkHandling>());
        var hasLegacy = values.TryGetValue(ResolveSymlinksKey, out var legacy);
        if (values.TryGetValue(SymlinksKey, out var text))
        {
            if (hasLegacy)
            {
                errors.Add($"'{ResolveSymlinksKey}' and '{SymlinksKey}' are both set; keep only '{SymlinksKey}' ({names})");
            }

            // Exact names only: a number or a misspelling must not select a mode.
            foreach (var mode in Enum.GetValues<SymlinkHandling>())
            {
                if (string.Equals(text.Trim(), mode.ToString(), StringComparison.OrdinalIgnoreCase))
                {
                    return mode;
                }
            }

            errors.Add($"'{SymlinksKey}' must be {names}, got '{text}'");
            return SymlinkHandling.ResolveOnGateway;
        }

        if (!hasLegacy)
        {
            return SymlinkHandling.ResolveOnGateway;
        }

        if (!TransformConfig.Bool(values, ResolveSymlinksKey, true, errors))
        {
            errors.Add($"'{ResolveSymlinksKey}: false' is no longer accepted, because skipping link resolution is safe only when the backend confines links; "
                + $"set \"{SymlinksKey}\": \"{nameof(SymlinkHandling.BackendConfines)}\" if the backend does that, or remove the key to have the gateway resolve them");
        }

        return SymlinkHandling.ResolveOnGateway;
    }
}
