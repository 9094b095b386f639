using System.Globalization;

namespace Gateway.Tests.Validation.Cypher;

/// <summary>
/// Queries the validator must reject, each with the clause it must report and the text its
/// position must point at. Literal <c>\u0045</c> sequences are part of the query text: Neo4j decodes them.
/// </summary>
internal static class CypherAttackCorpus
{
    private static readonly (string Keyword, string Clause, string Body)[] WriteClauses =
    [
        ("CREATE", "CREATE", " (b:Person {name: 'x'})"),
        ("MERGE", "MERGE", " (b:Person {name: 'x'})"),
        ("DELETE", "DELETE", " a"),
        ("DETACH", "DETACH DELETE", " DELETE a"),
        ("NODETACH", "NODETACH DELETE", " DELETE a"),
        ("SET", "SET", " a.x = 1"),
        ("REMOVE", "REMOVE", " a:Person"),
        ("FOREACH", "FOREACH", " (x IN [1] | SET a.x = x)"),
        ("INSERT", "INSERT", " (b:Person)"),
        ("LOAD", "LOAD CSV", " CSV FROM 'https://evil.example/x.csv' AS row"),
    ];

    private static readonly Func<string, string>[] Contexts =
    [
        clause => "MATCH (a) " + clause + " RETURN 1",
        clause => "MATCH (a) CALL (a) { " + clause + " } RETURN 1",
        clause => "MATCH (a) RETURN 1 AS x UNION ALL MATCH (a) " + clause + " RETURN 2 AS x",
        clause => "MATCH (a)/* hidden */\u00A0" + clause + "\u2003RETURN 1",
        clause => "MATCH (a) WHERE EXISTS { MATCH (a) " + clause + " } RETURN a",
    ];

    /// <summary>Every write clause in five spellings and five places: 250 cases.</summary>
    public static IEnumerable<TestCaseData> GeneratedWriteClauses()
    {
        foreach (var (keyword, clause, body) in WriteClauses)
        {
            foreach (string spelled in Spellings(keyword))
            {
                foreach (var context in Contexts)
                {
                    string query = context(spelled + body);
                    yield return new TestCaseData(query, clause, spelled).SetArgDisplayNames(Display(query));
                }
            }
        }
    }

    /// <summary>Hand-written attacks: (query, expected clause, text at the reported position).</summary>
    public static IEnumerable<TestCaseData> HandWritten()
    {
        foreach (var (query, clause, marker) in HandWrittenCases)
        {
            yield return new TestCaseData(query, clause, marker).SetArgDisplayNames(Display(query));
        }
    }

    public static IEnumerable<string> AllQueries()
    {
        foreach (var data in GeneratedWriteClauses())
        {
            yield return (string)data.Arguments[0]!;
        }

        foreach (var (query, _, _) in HandWrittenCases)
        {
            yield return query;
        }
    }

    private static IEnumerable<string> Spellings(string keyword)
    {
        yield return keyword;
        yield return keyword.ToLowerInvariant();
        yield return string.Concat(keyword.Select((c, i) => i % 2 == 0 ? c : char.ToLowerInvariant(c)));
        yield return $@"\u{(int)keyword[0]:X4}{keyword[1..]}";
        yield return $@"{keyword[..^1].ToLowerInvariant()}\u{(int)char.ToLowerInvariant(keyword[^1]):x4}";
    }

    private static string Display(string query)
    {
        string shown = query.Length > 70 ? query[..70] + "…" : query;
        return string.Concat(shown.Select(c => c < ' ' || c > '~' ? $"<U+{(int)c:X4}>" : c.ToString(CultureInfo.InvariantCulture)));
    }

    private static readonly (string Query, string Clause, string Marker)[] HandWrittenCases =
    [
        // Odd spellings of write clauses.
        (@"CR\u0045ATE (n)", "CREATE", @"CR\u0045ATE"),
        (@"MATCH (n) S\u0045T n.x = 1", "SET", @"S\u0045T"),
        (@"MATCH (n) \u0064\u0065\u006C\u0065\u0074\u0065 n", "DELETE", @"\u0064"),
        ("MATCH (n) DETACH/**/DELETE n", "DETACH DELETE", "DETACH"),
        ("MATCH (n) DETACH\u2029DELETE n", "DETACH DELETE", "DETACH"),
        ("MATCH (n)\u3000DETACH\u000BDELETE\u001Fn", "DETACH DELETE", "DETACH"),
        ("MATCH (n)\u1680MeRgE (m)", "MERGE", "MeRgE"),
        ("MATCH (n)\u205FSET\u202Fn.x = 1", "SET", "SET"),
        ("MATCH (n)\uFEFFREMOVE n.x", "REMOVE", "REMOVE"),
        ("MATCH (n)\u0085DELETE n", "DELETE", "DELETE"),
        ("MATCH (n)\u001CCREATE (m)", "CREATE", "CREATE"),
        (@"MATCH (n)\u0020DELETE n", "DELETE", "DELETE"),
        ("MATCH (n) // harmless\nDELETE n", "DELETE", "DELETE"),
        ("MATCH (n) // harmless\rDELETE n", "DELETE", "DELETE"),
        ("MATCH (n) /* a */ /* b */ DELETE n", "DELETE", "DELETE"),
        ("MATCH (n) /* /* not nested */ DELETE n", "DELETE", "DELETE"),
        ("MATCH (n) /* ** */SET n.x = 1", "SET", "SET"),
        ("MATCH (n) WITH n SET n.x = 1 RETURN n", "SET", "SET"),
        ("MATCH (n) SET n += {a: 1}", "SET", "SET"),
        ("MATCH (n) SET n:Label", "SET", "SET"),
        ("UNWIND [1, 2] AS x CREATE (:N {v: x})", "CREATE", "CREATE"),
        ("MATCH (a), (b) CREATE (a)-[:R]->(b)", "CREATE", "CREATE"),
        ("MATCH (a) MERGE (a)-[:R]->(b) ON CREATE SET b.x = 1", "MERGE", "MERGE"),
        ("MATCH (n) WITH n LIMIT 1 FOREACH (x IN [1] | CREATE (m))", "FOREACH", "FOREACH"),
        ("FOREACH (x IN [1] | MERGE (m))", "FOREACH", "FOREACH"),
        ("WHEN true THEN CREATE (n) RETURN n", "CREATE", "CREATE"),
        ("MATCH (n) RETURN n NEXT CREATE (m)", "CREATE", "CREATE"),
        ("CALL { CREATE (n) RETURN n } RETURN n", "CREATE", "CREATE"),
        ("CALL () { MATCH (n) DETACH DELETE n }", "DETACH DELETE", "DETACH"),
        ("OPTIONAL CALL { MATCH (n) SET n.x = 1 }", "SET", "SET"),
        ("MATCH (n) RETURN COUNT { MATCH (m) SET m.x = 1 RETURN m }", "SET", "SET"),
        ("RETURN {a: COLLECT { CREATE (n) RETURN n }}", "CREATE", "CREATE"),
        ("MATCH (n) WHERE n.x = 1 OR EXISTS { MERGE (m) } RETURN n", "MERGE", "MERGE"),
        ("MATCH (n) RETURN n UNION MATCH (m) DETACH DELETE m RETURN m AS n", "DETACH DELETE", "DETACH"),
        ("MATCH (n) RETURN n UNION DISTINCT CREATE (m) RETURN m AS n", "CREATE", "CREATE"),
        ("EXPLAIN CREATE (n)", "CREATE", "CREATE"),
        ("PROFILE MATCH (n) DELETE n", "DELETE", "DELETE"),
        ("CYPHER 5 CREATE (n)", "CREATE", "CREATE"),
        ("CYPHER 25 runtime=slotted MERGE (n)", "MERGE", "MERGE"),
        ("explain profile CYPHER planner=cost SET n.x = 1", "SET", "SET"),
        ("MATCH (n:Person {name: 'a'}) INSERT (m:Person)", "INSERT", "INSERT"),
        ("RETURN [(a)-->(b) | b.name] AS x CREATE (n)", "CREATE", "CREATE"),
        ("MATCH (n) WHERE n:Person|Admin DELETE n", "DELETE", "DELETE"),
        ("MATCH (n) RETURN n.name AS x ORDER BY x DELETE n", "DELETE", "DELETE"),
        ("MATCH (n) WITH n AS m, 1 AS k CREATE (m)-[:R]->(:X)", "CREATE", "CREATE"),

        // Unicode escapes that change where strings, names and comments end.
        (@"MATCH (n) // comment \u000A DELETE n", "ambiguous unicode escape", "//"),
        (@"MATCH (n) // comment \u000d DELETE n", "ambiguous unicode escape", "//"),
        (@"MATCH (n) /* \u002A/ DELETE n /* */", "ambiguous unicode escape", "/*"),
        (@"MATCH (n) /* *\u002F DELETE n /* */", "ambiguous unicode escape", "/*"),
        (@"RETURN 'a\u0027 + ' CREATE (n) //'", "ambiguous unicode escape", "'a"),
        (@"RETURN ""a\u0022 CREATE (n) //""", "ambiguous unicode escape", "\"a"),
        (@"RETURN 'a\u005C' CREATE (n) //'", "ambiguous unicode escape", "'a"),
        (@"MATCH (`a\u0060 CREATE (n) //`) RETURN 1", "ambiguous unicode escape", "`a"),
        ("MATCH (n) // x \u2028 DELETE n", "ambiguous line terminator", "//"),
        ("MATCH (n) // x \u0085 'abc \n RETURN n", "ambiguous line terminator", "//"),
        (@"CR\u+045ATE (n)", "invalid unicode escape", @"\u+045"),
        (@"MATCH (n) RETURN n.\u00G1", "invalid unicode escape", @"\u00G1"),
        (@"RETURN 1 \u12", "invalid unicode escape", @"\u12"),

        // Statement separators, including escaped ones.
        ("MATCH (n) RETURN n; MATCH (m) RETURN m", "multiple statements", "MATCH (m)"),
        ("MATCH (n) RETURN n; CREATE (m)", "multiple statements", "CREATE"),
        (@"MATCH (n) RETURN n\u003B DROP DATABASE neo4j", "multiple statements", "DROP"),
        ("RETURN 1;;", "multiple statements", ";^;"),
        ("RETURN 1; /* c */ ;", "multiple statements", "*/ ^;"),
        ("CALL { RETURN 1; } RETURN 2", "multiple statements", "; }"),
        ("; MATCH (n) RETURN n", "empty query", ";"),

        // Client commands.
        (":param x => 1", ":param", ":param"),
        (":use system", ":use", ":use"),
        (" :begin", ":begin", ":begin"),
        (@"\u003Aparams", ":params", @"\u003A"),

        // Graph selection, files and batched writes.
        ("USE system SHOW USERS", "USE", "USE"),
        ("use neo4j MATCH (n) RETURN n", "USE", "use"),
        ("MATCH (n) CALL { USE other MATCH (m) RETURN m } RETURN n", "USE", "USE"),
        ("LOAD CSV WITH HEADERS FROM 'file:///etc/passwd' AS row RETURN row", "LOAD CSV", "LOAD"),
        ("MATCH (n) LOAD CSV FROM 'https://x' AS r RETURN r", "LOAD CSV", "LOAD"),
        ("USING PERIODIC COMMIT LOAD CSV FROM 'x' AS r CREATE (n)", "USING", "USING"),
        ("CALL { MATCH (n) RETURN n } IN TRANSACTIONS OF 10 ROWS RETURN 1", "CALL IN TRANSACTIONS", "TRANSACTIONS"),
        ("MATCH (n) CALL (n) { SET n.x = 1 } IN TRANSACTIONS", "SET", "SET"),
        ("CALL { MATCH (n) RETURN n } IN CONCURRENT TRANSACTIONS", "CALL IN TRANSACTIONS", "TRANSACTIONS"),
        ("CALL { MATCH (n) RETURN n } IN 3 CONCURRENT TRANSACTIONS REPORT STATUS AS s RETURN s", "CALL IN TRANSACTIONS", "TRANSACTIONS"),
        (@"CALL { MATCH (n) RETURN n } IN TR\u0041NSACTIONS", "CALL IN TRANSACTIONS", @"TR\u0041NSACTIONS"),

        // Administration and schema commands.
        ("SHOW USERS", "SHOW USERS", "SHOW"),
        ("show databases", "SHOW DATABASES", "show"),
        ("SHOW TRANSACTIONS", "SHOW TRANSACTIONS", "SHOW"),
        ("SHOW CURRENT USER", "SHOW USER", "SHOW"),
        ("SHOW PROCEDURES YIELD name RETURN name", "SHOW PROCEDURES", "SHOW"),
        ("SHOW FUNCTIONS", "SHOW FUNCTIONS", "SHOW"),
        ("SHOW SETTINGS", "SHOW SETTINGS", "SHOW"),
        ("SHOW INDEXES", "SHOW INDEXES", "SHOW"),
        ("SHOW CONSTRAINTS", "SHOW CONSTRAINTS", "SHOW"),
        ("SHOW SERVERS", "SHOW SERVERS", "SHOW"),
        ("SHOW ALL PRIVILEGES", "SHOW PRIVILEGES", "SHOW"),
        ("TERMINATE TRANSACTIONS 'neo4j-transaction-1'", "TERMINATE TRANSACTIONS", "TERMINATE"),
        ("SHOW TRANSACTIONS YIELD transactionId AS t TERMINATE TRANSACTIONS t", "SHOW TRANSACTIONS", "SHOW"),
        ("CREATE DATABASE foo", "CREATE DATABASE", "CREATE"),
        ("CREATE OR REPLACE DATABASE foo", "CREATE DATABASE", "CREATE"),
        ("CREATE COMPOSITE DATABASE c", "CREATE DATABASE", "CREATE"),
        ("DROP DATABASE neo4j IF EXISTS", "DROP DATABASE", "DROP"),
        ("ALTER DATABASE foo SET ACCESS READ ONLY", "ALTER DATABASE", "ALTER"),
        ("START DATABASE foo", "START DATABASE", "START"),
        ("stop database foo", "STOP DATABASE", "stop"),
        ("CREATE ALIAS a FOR DATABASE d", "CREATE ALIAS", "CREATE"),
        ("DROP ALIAS a FOR DATABASE", "DROP ALIAS", "DROP"),
        ("CREATE USER bob SET PASSWORD 'secret'", "CREATE USER", "CREATE"),
        ("ALTER USER bob SET PASSWORD 'secret2'", "ALTER USER", "ALTER"),
        ("DROP USER bob", "DROP USER", "DROP"),
        ("RENAME USER bob TO alice", "RENAME USER", "RENAME"),
        ("CREATE ROLE hacker", "CREATE ROLE", "CREATE"),
        ("DROP ROLE reader", "DROP ROLE", "DROP"),
        ("GRANT ROLE admin TO bob", "GRANT", "GRANT"),
        ("GRANT TRAVERSE ON GRAPH * NODES * TO reader", "GRANT", "GRANT"),
        ("DENY WRITE ON GRAPH * TO reader", "DENY", "DENY"),
        ("REVOKE ROLE reader FROM bob", "REVOKE", "REVOKE"),
        ("CREATE INDEX idx FOR (n:Person) ON (n.name)", "CREATE INDEX", "CREATE"),
        ("CREATE RANGE INDEX idx FOR (n:Person) ON (n.name)", "CREATE INDEX", "CREATE"),
        ("CREATE TEXT INDEX FOR (n:P) ON (n.x)", "CREATE INDEX", "CREATE"),
        ("CREATE VECTOR INDEX v IF NOT EXISTS FOR (n:P) ON n.e", "CREATE INDEX", "CREATE"),
        ("CREATE CONSTRAINT c FOR (n:Person) REQUIRE n.id IS UNIQUE", "CREATE CONSTRAINT", "CREATE"),
        ("DROP INDEX idx", "DROP INDEX", "DROP"),
        ("DROP CONSTRAINT c", "DROP CONSTRAINT", "DROP"),
        ("ENABLE SERVER 'abc'", "ENABLE SERVER", "ENABLE"),
        ("ALTER SERVER 'abc' SET OPTIONS {modeConstraint: 'PRIMARY'}", "ALTER SERVER", "ALTER"),
        ("RENAME SERVER 'a' TO 'b'", "RENAME SERVER", "RENAME"),
        ("DEALLOCATE DATABASES FROM SERVER 'a'", "DEALLOCATE DATABASES", "DEALLOCATE"),
        ("REALLOCATE DATABASES", "REALLOCATE DATABASES", "REALLOCATE"),
        ("DRYRUN REALLOCATE DATABASES", "DRYRUN", "DRYRUN"),
        ("ALTER CURRENT GRAPH TYPE SET {(p:Person)}", "ALTER GRAPH", "ALTER"),
        (@"\u0053HOW USERS", "SHOW USERS", @"\u0053"),
        ("MATCH (n) RETURN n UNION SHOW USERS", "SHOW USERS", "SHOW"),
        ("BEGIN", "BEGIN", "BEGIN"),
        ("START n=node(1) RETURN n", "START", "START"),
        ("GRAPH.QUERY g 'MATCH (n) RETURN n'", "GRAPH", "GRAPH"),

        // Procedures: deny by default, built-in denials for writes, dynamic Cypher, admin and I/O.
        ("CALL apoc.cypher.doIt('CREATE (n)', {})", "apoc.cypher.doIt", "apoc"),
        ("CALL apoc.cypher.runWrite('CREATE (n)', {})", "apoc.cypher.runWrite", "apoc"),
        ("CALL apoc.cypher.run('MATCH (n) RETURN n', {})", "apoc.cypher.run", "apoc"),
        ("CALL apoc.cypher.runMany('CREATE (n);', {})", "apoc.cypher.runMany", "apoc"),
        ("CALL apoc.create.node(['X'], {}) YIELD node RETURN node", "apoc.create.node", "apoc"),
        ("CALL apoc.merge.node(['X'], {id: 1})", "apoc.merge.node", "apoc"),
        ("CALL apoc.refactor.mergeNodes([], {})", "apoc.refactor.mergeNodes", "apoc"),
        ("CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'DELETE n', {})", "apoc.periodic.iterate", "apoc"),
        ("CALL apoc.periodic.commit('MATCH (n) DELETE n', {})", "apoc.periodic.commit", "apoc"),
        ("CALL apoc.trigger.install('neo4j', 't', 'CREATE (n)', {})", "apoc.trigger.install", "apoc"),
        ("CALL apoc.atomic.add(n, 'x', 1)", "apoc.atomic.add", "apoc"),
        ("MATCH (n) CALL apoc.nodes.delete(n, 10) YIELD value RETURN value", "apoc.nodes.delete", "apoc"),
        ("CALL apoc.schema.assert({}, {})", "apoc.schema.assert", "apoc"),
        ("CALL apoc.export.csv.all('out.csv', {})", "apoc.export.csv.all", "apoc"),
        ("CALL apoc.import.json('file:///x.json')", "apoc.import.json", "apoc"),
        ("CALL apoc.load.json('https://evil.example') YIELD value RETURN value", "apoc.load.json", "apoc"),
        ("CALL apoc.load.jdbc('jdbc:x', 'SELECT 1')", "apoc.load.jdbc", "apoc"),
        ("CALL apoc.util.sleep(100000)", "apoc.util.sleep", "apoc"),
        ("CALL apoc.bolt.execute('bolt://x', 'MATCH (n) DELETE n', {})", "apoc.bolt.execute", "apoc"),
        ("CALL dbms.security.createUser('a', 'b', false)", "dbms.security.createUser", "dbms"),
        ("CALL dbms.killQuery('query-1')", "dbms.killQuery", "dbms"),
        ("CALL dbms.components()", "dbms.components", "dbms"),
        ("MATCH (n) CALL db.create.setNodeVectorProperty(n, 'e', [1.0])", "db.create.setNodeVectorProperty", "db.create"),
        ("CALL db.createLabel('X')", "db.createLabel", "db.createLabel"),
        ("CALL db.clearQueryCaches()", "db.clearQueryCaches", "db.clear"),
        ("CALL db.index.fulltext.createNodeIndex('i', ['L'], ['p'])", "db.index.fulltext.createNodeIndex", "db.index"),
        ("CALL gds.pageRank.write('g', {writeProperty: 'pr'})", "gds.pageRank.write", "gds"),
        ("CALL gds.graph.project('g', 'N', 'R')", "gds.graph.project", "gds"),
        ("CALL gds.graph.drop('g')", "gds.graph.drop", "gds"),
        ("CALL tx.setMetaData({a: 1})", "tx.setMetaData", "tx"),
        ("CALL genai.vector.encodeBatch(['a'], 'OpenAI', {})", "genai.vector.encodeBatch", "genai"),
        ("CALL some.unknown.proc()", "some.unknown.proc", "some"),
        ("CALL myProc", "myProc", "myProc"),
        ("CALL db.labels() YIELD label CALL db.info()", "db.info", "db.info"),
        ("CALL `apoc`.`cypher`.`doIt`('CREATE (n)', {})", "apoc.cypher.doIt", "`apoc`"),
        ("CALL `apoc.cypher.doIt`('CREATE (n)', {})", "apoc.cypher.doIt", "`apoc"),
        ("CALL apoc . cypher . doIt('CREATE (n)', {})", "apoc.cypher.doIt", "apoc"),
        ("CALL apoc/**/.cypher/* x */.doIt('CREATE (n)', {})", "apoc.cypher.doIt", "apoc"),
        (@"CALL apoc.cyph\u0065r.doIt('CREATE (n)', {})", "apoc.cypher.doIt", "apoc"),
        ("CALL APOC.CYPHER.DOIT('CREATE (n)', {})", "APOC.CYPHER.DOIT", "APOC"),
        ("OPTIONAL CALL apoc.create.node([], {}) YIELD node RETURN node", "apoc.create.node", "apoc"),
        ("CALL { CALL apoc.create.node([], {}) YIELD node RETURN node } RETURN node", "apoc.create.node", "apoc"),
        ("MATCH (n) RETURN n UNION CALL apoc.cypher.doIt('x', {}) YIELD value RETURN value AS n", "apoc.cypher.doIt", "apoc"),
        ("CALL 'apoc.cypher.doIt'('x')", "CALL", "CALL"),

        // Functions that run dynamic Cypher or reach outside the database.
        ("RETURN apoc.cypher.runFirstColumn('MATCH (n) RETURN n', {})", "apoc.cypher.runFirstColumn", "apoc"),
        ("RETURN apoc.cypher.runFirstColumnMany('MATCH (n) RETURN n', {})", "apoc.cypher.runFirstColumnMany", "apoc"),
        ("MATCH (n) WHERE apoc.cypher.runFirstColumnSingle('RETURN true', {}) RETURN n", "apoc.cypher.runFirstColumnSingle", "apoc"),
        ("RETURN {a: apoc.cypher.runFirstColumn('x', {})}", "apoc.cypher.runFirstColumn", "apoc"),
        ("WITH apoc.static.get('secret') AS s RETURN s", "apoc.static.get", "apoc"),
        ("RETURN genai.vector.encode('a', 'OpenAI', {token: $t})", "genai.vector.encode", "genai"),
        ("RETURN apoc . cypher . runFirstColumn('x', {})", "apoc.cypher.runFirstColumn", "apoc"),
        ("RETURN `apoc`.cypher.runFirstColumn('x', {})", "apoc.cypher.runFirstColumn", "`apoc`"),
        ("RETURN `apoc.cypher.runFirstColumn`('x', {})", "apoc.cypher.runFirstColumn", "`apoc"),
        (@"RETURN apoc.cypher.runFirstColumn('x', {})", "apoc.cypher.runFirstColumn", "apoc"),

        // Unbounded or oversized variable-length patterns.
        ("MATCH (a)-[*]->(b) RETURN b", "variable-length pattern", "*"),
        ("MATCH (a)-[:R*]->(b) RETURN b", "variable-length pattern", "*"),
        ("MATCH (a)-[r:R|S*]-(b) RETURN b", "variable-length pattern", "*"),
        ("MATCH (a)-[*2..]->(b) RETURN b", "variable-length pattern", "*"),
        ("MATCH (a)-[*..]->(b) RETURN b", "variable-length pattern", "*"),
        ("MATCH (a)-[*0..]->(b) RETURN b", "variable-length pattern", "*"),
        ("MATCH (a)-[r:KNOWS*1..50]->(b) RETURN b", "variable-length pattern", "*"),
        ("MATCH (a)-[*11]->(b) RETURN b", "variable-length pattern", "*"),
        ("MATCH (a)-[* 1 .. 11]->(b) RETURN b", "variable-length pattern", "*"),
        ("MATCH (a)-[*/* c */..99999999999999]->(b) RETURN b", "variable-length pattern", "*"),
        ("MATCH (a)-[*1..1_000]->(b) RETURN b", "variable-length pattern", "*"),
        ("MATCH (a)-[*1..0x10]->(b) RETURN b", "variable-length pattern", "*"),
        ("MATCH (a)<-[* {since: 1}]-(b) RETURN b", "variable-length pattern", "*"),
        ("MATCH p = shortestPath((a)-[*]-(b)) RETURN p", "variable-length pattern", "*"),
        ("MATCH p = allShortestPaths((a)-[:R*]-(b)) RETURN p", "variable-length pattern", "*"),
        ("MATCH ((a)-->(b)){1,} RETURN a", "variable-length pattern", "{1,}"),
        ("MATCH ((a)-->(b)){,} RETURN a", "variable-length pattern", "{,}"),
        ("MATCH ((a)-->(b)){11} RETURN a", "variable-length pattern", "{11}"),
        ("MATCH ((a)-[:R]->(b)){1,50} RETURN a", "variable-length pattern", "{1,50}"),
        ("MATCH ((a)-->(b))+ RETURN a", "variable-length pattern", "+ RETURN"),
        ("MATCH ((a)-->(b))* RETURN a", "variable-length pattern", "* RETURN"),
        ("MATCH p = (x) ((a)<-[:R]-(b))+ (y) RETURN p", "variable-length pattern", "+ (y)"),
        ("MATCH (a)-[:R]->+(b) RETURN b", "variable-length pattern", "+(b)"),
        ("MATCH (a)-[:R]->{1,}(b) RETURN b", "variable-length pattern", "{1,}"),
        ("MATCH (a)-[:R]-*(b) RETURN b", "variable-length pattern", "*(b)"),
        ("MATCH (a)-->{2,}(b) RETURN b", "variable-length pattern", "{2,}"),
        ("MATCH p = SHORTEST 1 (a)-[:R]-+(b) RETURN p", "variable-length pattern", "+(b)"),
        ("MATCH (a) WHERE EXISTS { (a)-[*]->() } RETURN a", "variable-length pattern", "*"),
        ("MATCH (((a)-->(b)))+ RETURN a", "variable-length pattern", "+ RETURN"),
        ("MATCH ACYCLIC ((a)-->(b))+ RETURN a", "variable-length pattern", "+ RETURN"),
        ("MATCH REPEATABLE ELEMENTS ((a)-->(b)){2,} RETURN a", "variable-length pattern", "{2,}"),
        ("MATCH (a)-[:R*1..$max]->(b) RETURN b", "variable-length pattern", "*"),
        ("MATCH (a)-[:R*$max]->(b) RETURN b", "variable-length pattern", "*"),
        ("MATCH (a) RETURN [(a)-[*]->(b) | b] AS x", "variable-length pattern", "*"),

        // Malformed text and structure.
        ("RETURN 1 /* never closed", "unterminated comment", "/*"),
        ("RETURN 'never closed", "unterminated string", "'"),
        ("RETURN \"never closed\\\"", "unterminated string", "\""),
        ("RETURN `never closed", "unterminated identifier", "`"),
        ("RETURN 1 # comment", "invalid character", "#"),
        ("RETURN 1 \\ 2", "invalid character", "\\"),
        ("RETURN \u200B1", "invalid character", "\u200B"),
        ("", "empty query", ""),
        ("   \n\t ", "empty query", ""),
        ("// only a comment", "empty query", ""),
        ("EXPLAIN", "empty query", ""),
        ("RETURN (1", "(", "(1"),
        ("RETURN 1)", ")", ")"),
        ("RETURN [1}", "}", "}"),
        ("MATCH (n) RETURN n UNION ALL", "end of query", ""),
        ("(n) RETURN n", "(", "("),
        ("42", "42", "42"),
    ];
}
