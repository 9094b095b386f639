using Gateway.Transforms.Validation.Cypher;

namespace Gateway.Tests.Validation.Cypher;

public sealed class CypherValidatorAllocationTests
{
    [TestCase("MATCH (p:Person {name: $name})-[:KNOWS*1..3]->(f:Person) WHERE f.age > 30 AND NOT f:Blocked " +
              "WITH f, count(*) AS c ORDER BY c DESC LIMIT 10 RETURN f.name AS name, c, apoc.text.join([f.city], ',') AS city")]
    [TestCase(@"MATCH (n:Caf\u00e9) WHERE n.\u0063reated > date('2020-01-01') /* note */ RETURN n.name AS remove " +
              "UNION ALL CALL db.labels() YIELD label RETURN label AS remove")]
    [TestCase("MATCH (n) WHERE EXISTS { (n)-->(m:Merge) } CALL (n) { MATCH ((n)-->(x)){1,3} RETURN x } RETURN n, x")]
    public void Validate_TypicalAllowedQuery_AllocatesNothing(string query)
    {
        Assert.That(CypherReadOnlyValidator.Validate(query, CypherPolicy.ReadOnly).IsAllowed, Is.True);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            CypherReadOnlyValidator.Validate(query, CypherPolicy.ReadOnly);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.Zero);
    }
}
