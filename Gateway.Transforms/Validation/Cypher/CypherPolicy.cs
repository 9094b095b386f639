namespace Gateway.Transforms.Validation.Cypher;

/// <summary>
/// Options for <see cref="CypherReadOnlyValidator"/>. The defaults are read-only: writes, schema and
/// administration commands are always rejected; a policy only tunes path length limits and which
/// read-only procedures may be called.
/// </summary>
public sealed class CypherPolicy
{
    private ProcedureNamePatterns? _allowed;
    private ProcedureNamePatterns? _denied;

    /// <summary>Default policy: the built-in procedure allow-list and at most 10 hops per variable-length pattern.</summary>
    public static CypherPolicy ReadOnly { get; } = new();

    /// <summary>
    /// Largest upper bound of a variable-length relationship (<c>[*1..n]</c>) or quantified path pattern
    /// (<c>{1,n}</c>). Unbounded forms (<c>[*]</c>, <c>[*3..]</c>, <c>+</c>, <c>{1,}</c>) are always rejected.
    /// </summary>
    public int MaxVariableLengthHops { get; init; } = 10;

    /// <summary>
    /// Procedures allowed in addition to <see cref="BuiltInAllowedProcedures"/>, matched case-insensitively.
    /// An entry ending in <c>.*</c> allows a namespace. Allows never override the built-in denials of
    /// write, administration and external-access procedures.
    /// </summary>
    public IReadOnlyCollection<string> AllowedProcedures { get; init; } = [];

    /// <summary>
    /// Procedures and functions to reject in addition to the built-in denials; these win over allows.
    /// An entry ending in <c>.*</c> denies a namespace.
    /// </summary>
    public IReadOnlyCollection<string> DeniedProcedures { get; init; } = [];

    /// <summary>Read-only schema introspection procedures every policy allows.</summary>
    public static IReadOnlyList<string> BuiltInAllowedProcedures { get; } =
    [
        "db.labels",
        "db.relationshipTypes",
        "db.propertyKeys",
        "db.schema.visualization",
        "db.schema.nodeTypeProperties",
        "db.schema.relTypeProperties",
    ];

    internal ProcedureNamePatterns Allowed => _allowed ??= ProcedureNamePatterns.From(AllowedProcedures);

    internal ProcedureNamePatterns Denied => _denied ??= ProcedureNamePatterns.From(DeniedProcedures);
}
