using Yarp.ReverseProxy.Transforms.Builder;

namespace Gateway.Transforms.Validation.Cypher;

/// <summary>
/// <c>{ "ValidateCypher": "query", "MaxVariableLengthHops": "8", "AllowProcedures": "db.labels", "DenyProcedures": "db.propertyKeys" }</c>.
/// Runs before the route's other request transforms, so nothing is mapped or sent for a rejected query.
/// </summary>
public sealed class CypherValidationTransformFactory : ITransformFactory
{
    public const string ArgumentKey = "ValidateCypher";
    public const string MaxHopsKey = "MaxVariableLengthHops";
    public const string AllowKey = "AllowProcedures";
    public const string DenyKey = "DenyProcedures";

    private static readonly string[] s_keys = [ArgumentKey, MaxHopsKey, AllowKey, DenyKey];

    public bool Validate(TransformRouteValidationContext context, IReadOnlyDictionary<string, string> transformValues)
    {
        if (!transformValues.ContainsKey(ArgumentKey))
        {
            return false;
        }

        var errors = new List<string>();
        Create(transformValues, errors);
        foreach (var error in errors)
        {
            context.Errors.Add(new ArgumentException($"Route '{context.Route.RouteId}': {error}"));
        }

        return true;
    }

    public bool Build(TransformBuilderContext context, IReadOnlyDictionary<string, string> transformValues)
    {
        if (!transformValues.ContainsKey(ArgumentKey))
        {
            return false;
        }

        var errors = new List<string>();
        var transform = Create(transformValues, errors) ?? throw new ArgumentException($"Route '{context.Route.RouteId}': {string.Join("; ", errors)}");
        context.RequestTransforms.Insert(0, transform);
        return true;
    }

    private static CypherValidationTransform? Create(IReadOnlyDictionary<string, string> values, List<string> errors)
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
        return errors.Count == 0 ? new CypherValidationTransform(argument, policy) : null;
    }
}
