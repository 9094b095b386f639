namespace Gateway.Transforms.Validation.Cypher;

/// <summary>
/// Which procedures a read-only query may CALL (deny by default, allow-listed only) and which
/// functions it may not use in expressions (allow by default, denied namespaces only).
/// </summary>
internal static class CypherProcedureRules
{
    private static readonly ProcedureNamePatterns BuiltInAllowed =
        ProcedureNamePatterns.FromPrefixes([.. CypherPolicy.BuiltInAllowedProcedures], []);

    // Procedures and functions that write, run dynamic Cypher, administer the DBMS, or reach files,
    // URLs and other systems. Applies to CALL and to function calls; no policy allow can lift it.
    private static readonly ProcedureNamePatterns BuiltInDenied = ProcedureNamePatterns.FromPrefixes(
        [
            "apoc.nodes.delete", "apoc.nodes.link", "apoc.nodes.collapse", "apoc.schema.assert",
            "apoc.util.sleep", "apoc.when", "apoc.case", "db.checkpoint", "db.prepareForReplanning",
        ],
        [
            "apoc.create.", "apoc.merge.", "apoc.refactor.", "apoc.periodic.", "apoc.trigger.", "apoc.atomic.",
            "apoc.export.", "apoc.import.", "apoc.load.", "apoc.cypher.", "apoc.do.", "apoc.custom.",
            "apoc.systemdb.", "apoc.bolt.", "apoc.lock.", "apoc.log.", "apoc.static.", "apoc.config.",
            "apoc.uuid.", "apoc.ttl.", "apoc.dv.", "apoc.generate.", "apoc.graph.", "apoc.mongo.",
            "apoc.mongodb.", "apoc.es.", "apoc.couchbase.", "apoc.redis.", "apoc.model.", "apoc.warmup.",
            "apoc.nlp.", "apoc.ml.", "apoc.spatial.geocode", "apoc.s3.", "apoc.gephi.",
            "dbms.", "tx.", "genai.", "ai.", "db.create", "db.clear", "db.stats.", "db.resample", "db.await",
            "db.index.fulltext.create", "db.index.fulltext.drop", "db.index.vector.create",
        ]);

    // GDS procedures that write, mutate or manage the in-memory catalog, wherever they sit in the namespace.
    private static readonly string[] GdsDeniedSegments =
        ["write", "mutate", "graph", "model", "pipeline", "drop", "export", "restore", "backup"];

    public static bool IsProcedureAllowed(ReadOnlySpan<char> name, CypherPolicy policy) =>
        !IsDenied(name, policy) && (BuiltInAllowed.Matches(name) || policy.Allowed.Matches(name));

    public static bool IsFunctionDenied(ReadOnlySpan<char> name, CypherPolicy policy) => IsDenied(name, policy);

    /// <summary>True when the name is on a built-in denial rather than merely missing from the allow-list.</summary>
    public static bool IsBuiltInDenied(ReadOnlySpan<char> name) => BuiltInDenied.Matches(name) || IsDeniedGds(name);

    private static bool IsDenied(ReadOnlySpan<char> name, CypherPolicy policy) =>
        IsBuiltInDenied(name) || policy.Denied.Matches(name);

    private static bool IsDeniedGds(ReadOnlySpan<char> name)
    {
        if (!name.StartsWith("gds.", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        foreach (var range in name.Split('.'))
        {
            var segment = name[range];
            foreach (string denied in GdsDeniedSegments)
            {
                if (segment.Equals(denied, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
