namespace Gateway.Transforms.Validation.Cypher;

/// <summary>
/// <c>{ "ValidateCypher": "query", "MaxVariableLengthHops": "8", "AllowProcedures": "db.labels", "DenyProcedures": "db.propertyKeys" }</c>.
/// Runs once per call, before anything is forwarded (see <see cref="ValidatingTransformFactory"/>).
/// </summary>
public sealed class CypherValidationTransformFactory : ValidatingTransformFactory
{
    public const string ArgumentKey = "ValidateCypher";
    public const string MaxHopsKey = "MaxVariableLengthHops";
    public const string AllowKey = "AllowProcedures";
    public const string DenyKey = "DenyProcedures";

    private static readonly string[] s_keys = [ArgumentKey, MaxHopsKey, AllowKey, DenyKey];

    protected override string Key => ArgumentKey;

    protected override IArgumentValidator? Create(IReadOnlyDictionary<string, string> values, List<string> errors)
    {
        TransformConfig.RejectUnknownKeys(values, s_keys, ArgumentKey, errors);
        var argument = values[ArgumentKey].Trim();
        if (argument.Length == 0)
        {
            errors.Add($"'{ArgumentKey}' must name the argument that holds the query, e.g. \"query\"");
        }

        var policy = new CypherPolicy
        {
            MaxVariableLengthHops = TransformConfig.Int(values, MaxHopsKey, CypherPolicy.ReadOnly.MaxVariableLengthHops, 1, 1000, errors),
            AllowedProcedures = TransformConfig.List(values, AllowKey),
            DeniedProcedures = TransformConfig.List(values, DenyKey),
        };
        return errors.Count == 0 ? new CypherArgumentValidator(argument, policy) : null;
    }
}
