namespace Gateway.Tests.Validation.Cypher;

/// <summary>Read-only queries that merely contain or resemble write keywords; all must pass.</summary>
internal static class CypherBenignCorpus
{
    public static IEnumerable<TestCaseData> Cases() =>
        Queries.Select(query => new TestCaseData(query).SetArgDisplayNames(Display(query)));

    private static string Display(string query) =>
        string.Concat(query.Select(c => c < ' ' || c > '~' ? $"<U+{(int)c:X4}>" : c.ToString()));

    public static readonly string[] Queries =
    [
        // Keywords as labels, relationship types, property keys, map keys, aliases and parameters.
        "MATCH (n:Merge) RETURN n",
        "MATCH (n:Create) RETURN n",
        "MATCH (n:Delete:Set:Remove) RETURN n",
        "MATCH ()-[r:CREATE]->() RETURN r",
        "MATCH (a)-[:MERGE|DELETE]->(b) RETURN b",
        "MATCH (a)-[:SET|:REMOVE]->(b) RETURN b",
        "MATCH (n) WHERE n:Create|Merge RETURN n",
        "MATCH (n) WHERE n:Person&!Delete RETURN n",
        "MATCH (n:!Detach) RETURN n",
        "MATCH (n IS Delete) RETURN n",
        "MATCH (n) WHERE n IS Foreach RETURN n",
        "MATCH (n:%) RETURN n",
        "MATCH (n) RETURN n.created",
        "MATCH (n) RETURN n.set, n.merge, n.delete, n.load, n.use, n.show",
        "MATCH (n) RETURN n.delete AS remove",
        "MATCH (n) RETURN n.name AS set ORDER BY set",
        "MATCH (n) RETURN n.name AS `DELETE`",
        "MATCH (n) RETURN n.`remove`",
        "MATCH (n) RETURN n {.name, .age, set: n.x}",
        "MATCH (n) RETURN n {.*}",
        "RETURN {delete: 1}",
        "RETURN {create: 1, merge: 2, `detach delete`: 3}",
        "MATCH (n:Person {create: true, set: false}) RETURN n",
        "RETURN $create",
        "RETURN $merge, $`detach delete`, $0",
        "RETURN ${legacy}",
        "MATCH (n) WHERE n.id IN $ids RETURN n",
        "WITH 1 AS create RETURN create",
        "WITH [1, 2] AS delete RETURN delete",
        "UNWIND $rows AS row RETURN row.create",
        "MATCH (create) RETURN create.name",
        "MATCH (start:Station)-[:NEXT*1..5]->(stop) RETURN start, stop",
        "MATCH (n) RETURN n.start, n.stop",
        "MATCH (d:Database) RETURN d",
        "MATCH (u:User)-[:HAS_ROLE]->(r:Role) RETURN u, r",
        "MATCH (n:Index)-[:SHOW]->(m:Transactions) RETURN n",
        "MATCH (n)-[r:`SET`]->(m) RETURN type(r)",
        "MATCH (`CREATE`) RETURN `CREATE`",
        "MATCH (n:`Label With Spaces`) RETURN n",
        "RETURN `a``b`",

        // Keywords inside strings and comments.
        "RETURN 'DELETE'",
        "RETURN \"CREATE (n)\"",
        "RETURN 'CALL { CREATE (n) } IN TRANSACTIONS'",
        "RETURN 'it\\'s'",
        "RETURN \"a\\\"b; DROP DATABASE x\"",
        "RETURN 'line\\nbreak'",
        "RETURN 'back\\\\slash'",
        "RETURN `SET`",
        "// DROP DATABASE neo4j\nMATCH (n) RETURN n",
        "MATCH (n) /* MERGE */ RETURN n",
        "MATCH (n) RETURN n /* ; CREATE (m) */",
        "RETURN 1 // ; DROP DATABASE neo4j",
        "/* multi\nline\ncomment with DELETE */ RETURN 1",

        // Read clauses, subqueries and expressions.
        "MATCH (n) RETURN n",
        "OPTIONAL MATCH (n)-[r]->(m) RETURN n, r, m",
        "MATCH (n) WITH n ORDER BY n.name DESC SKIP 1 LIMIT 5 RETURN n",
        "MATCH (n) WHERE n.name =~ 'a.*' AND n.x <> 1 AND n.y >= 2 RETURN n",
        "MATCH (n) WHERE n.name IS NOT NULL RETURN n",
        "MATCH (n) WHERE n.age IS :: INTEGER RETURN n",
        "MATCH (n) RETURN CASE WHEN n.x > 1 THEN 'a' ELSE 'b' END AS c",
        "RETURN [x IN range(1, 10) WHERE x % 2 = 0 | x * 2]",
        "MATCH (a) RETURN [(a)-->(b) WHERE b:Create | b.name] AS names",
        "MATCH (n) WHERE EXISTS { MATCH (n)-->(m) } RETURN n",
        "MATCH (n) WHERE EXISTS { (n)-->() } RETURN n",
        "MATCH (n) RETURN COUNT { (n)-->() } AS degree",
        "MATCH (n) RETURN COLLECT { MATCH (n)-->(m) RETURN m.name } AS names",
        "CALL { MATCH (n) RETURN n } RETURN n",
        "UNWIND [1] AS x CALL (x) { MATCH (n) WHERE n.x = x RETURN n } RETURN n",
        "MATCH (n) RETURN n UNION MATCH (m) RETURN m AS n",
        "MATCH (n) RETURN n.name AS x UNION ALL MATCH (m) RETURN m.name AS x",
        "MATCH (n) FILTER n.age > 3 RETURN n",
        "LET x = 1 RETURN x",
        "MATCH (n) FINISH",
        "RETURN count(*), toLower('ABC'), coalesce(null, 1), size([1, 2])",
        "MATCH (n) RETURN count(n) * 2, (1 + 2) * 3, 2 * (3 + 4)",
        "MATCH (a) RETURN size([(a)-->() | 1]) + 1",
        "RETURN apoc.text.join(['a', 'b'], ','), apoc.coll.sum([1, 2])",
        "RETURN 1.5e-3, 0x1F, .5, 1_000, 1e10",
        "RETURN 1 - -1, [1, 2, 3][0..2], -1 < 0",
        "RETURN date('2020-01-01')",

        // Prefixes and statement endings.
        "EXPLAIN MATCH (n) RETURN n",
        "PROFILE MATCH (n) RETURN n",
        "CYPHER 5 MATCH (n) RETURN n",
        "CYPHER runtime=slotted planner=cost MATCH (n) RETURN n",
        "MATCH (n) RETURN n;",
        "MATCH (n) RETURN n ; // trailing comment",

        // Allow-listed procedures.
        "CALL db.labels()",
        "CALL db.labels() YIELD label RETURN label",
        "CALL db.relationshipTypes",
        "CALL db.schema.visualization()",
        "CALL db.schema.nodeTypeProperties() YIELD nodeType RETURN nodeType",
        "CALL db.propertyKeys() YIELD propertyKey WHERE propertyKey STARTS WITH 'a' RETURN propertyKey",
        "CALL `db`.`labels`()",
        "MATCH (n) CALL { CALL db.labels() YIELD label RETURN label } RETURN n, label",

        // Bounded variable-length and quantified patterns.
        "MATCH p = (a)-[*1..5]->(b) RETURN p",
        "MATCH (a)-[*..3]->(b) RETURN b",
        "MATCH (a)-[*3]->(b) RETURN b",
        "MATCH (a)-[*0..10]->(b) RETURN b",
        "MATCH (a)-[r:KNOWS*1..10 {since: 2020}]->(b) RETURN b",
        "MATCH (a)-[r WHERE r.weight * 20 > 5]->(b) RETURN b",
        "MATCH ((a)-->(b)){1,5} RETURN a",
        "MATCH ((a)-[:R]->(b)){2} RETURN a",
        "MATCH ((a)-->(b)){,3} RETURN a",
        "MATCH (a)-[:R]->{1,3}(b) RETURN b",
        "MATCH p = shortestPath((a)-[*..5]-(b)) RETURN p",
        "MATCH (a)<-[:R]-(b) RETURN a",
        "MATCH (a)<--(b)--(c)-->(d) RETURN a",

        // Unicode: escapes, odd whitespace, non-ASCII names.
        @"M\u0041TCH (n) RETURN n",
        @"RETURN '\u00e9', ""\u0041"", `\u0041`",
        @"MATCH (n) RETURN n.\u0063reate",
        "MATCH\u00A0(n)\u2003RETURN\u3000n",
        "MATCH (n)\u2028WHERE\u0085n.x = 1\u000BRETURN\u001Cn",
        "\uFEFFMATCH (n) RETURN n",
        "MATCH (n:Café) RETURN n.prénom, n.名前",
        "MATCH (a)\u2013[:R]\u2192(b) RETURN a".Replace("\u2192", "\u2014>", StringComparison.Ordinal),
    ];
}
