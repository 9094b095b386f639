using Gateway.Transforms.Validation.Cypher;

namespace Gateway.Tests.Validation.Cypher;

public sealed class CypherPolicyTests
{
    [TestCase("CALL apoc.meta.schema()")]
    [TestCase("CALL APOC.META.SCHEMA() YIELD value RETURN value")]
    public void Validate_ProcedureAddedToAllowList_IsAllowed(string query)
    {
        var policy = new CypherPolicy { AllowedProcedures = ["apoc.meta.schema"] };

        Assert.That(CypherReadOnlyValidator.Validate(query, policy).IsAllowed, Is.True);
    }

    [Test]
    public void Validate_ProcedureNotOnAllowList_IsRejectedByDefault()
    {
        var result = CypherReadOnlyValidator.Validate("CALL apoc.meta.schema()", CypherPolicy.ReadOnly);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsAllowed, Is.False);
            Assert.That(result.Clause, Is.EqualTo("apoc.meta.schema"));
            Assert.That(result.Reason, Does.Contain("allow-list"));
        }
    }

    [Test]
    public void Validate_NamespaceWildcardAllow_AllowsEveryProcedureInIt()
    {
        var policy = new CypherPolicy { AllowedProcedures = ["apoc.meta.*"] };

        using (Assert.EnterMultipleScope())
        {
            Assert.That(CypherReadOnlyValidator.Validate("CALL apoc.meta.data()", policy).IsAllowed, Is.True);
            Assert.That(CypherReadOnlyValidator.Validate("CALL apoc.meta.stats()", policy).IsAllowed, Is.True);
            Assert.That(CypherReadOnlyValidator.Validate("CALL apoc.metadata()", policy).IsAllowed, Is.False);
        }
    }

    [TestCase("CALL apoc.cypher.doIt('CREATE (n)', {})", "apoc.cypher.doIt")]
    [TestCase("CALL apoc.create.node([], {})", "apoc.create.node")]
    [TestCase("CALL apoc.periodic.iterate('a', 'b', {})", "apoc.periodic.iterate")]
    [TestCase("CALL apoc.load.json('x')", "apoc.load.json")]
    public void Validate_BroadAllowOfApoc_NeverLiftsBuiltInDenials(string query, string clause)
    {
        var policy = new CypherPolicy { AllowedProcedures = ["apoc.*"] };

        var result = CypherReadOnlyValidator.Validate(query, policy);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsAllowed, Is.False);
            Assert.That(result.Clause, Is.EqualTo(clause));
            Assert.That(result.Reason, Does.Contain("can write data"));
        }
    }

    [Test]
    public void Validate_BroadAllowOfGds_StillRejectsWriteAndCatalogProcedures()
    {
        var policy = new CypherPolicy { AllowedProcedures = ["gds.*"] };

        using (Assert.EnterMultipleScope())
        {
            Assert.That(CypherReadOnlyValidator.Validate("CALL gds.pageRank.stream('g')", policy).IsAllowed, Is.True);
            Assert.That(CypherReadOnlyValidator.Validate("CALL gds.pageRank.mutate('g', {})", policy).IsAllowed, Is.False);
            Assert.That(CypherReadOnlyValidator.Validate("CALL gds.beta.graph.project.subgraph('g')", policy).IsAllowed, Is.False);
        }
    }

    [Test]
    public void Validate_DeniedProcedure_WinsOverAllow()
    {
        var policy = new CypherPolicy
        {
            AllowedProcedures = ["apoc.meta.*"],
            DeniedProcedures = ["apoc.meta.stats"],
        };

        using (Assert.EnterMultipleScope())
        {
            Assert.That(CypherReadOnlyValidator.Validate("CALL apoc.meta.stats()", policy).IsAllowed, Is.False);
            Assert.That(CypherReadOnlyValidator.Validate("CALL apoc.meta.data()", policy).IsAllowed, Is.True);
        }
    }

    [Test]
    public void Validate_DeniedProcedure_CanRemoveBuiltInAllowedProcedure()
    {
        var policy = new CypherPolicy { DeniedProcedures = ["db.schema.*"] };

        var result = CypherReadOnlyValidator.Validate("CALL db.schema.visualization()", policy);

        Assert.That(result.Clause, Is.EqualTo("db.schema.visualization"));
    }

    [TestCase("RETURN apoc.text.join(['a'], ',')", "apoc.text.join")]
    [TestCase("RETURN toLower('A')", "toLower")]
    public void Validate_FunctionOnPolicyDenyList_IsRejected(string query, string function)
    {
        var policy = new CypherPolicy { DeniedProcedures = [function] };

        var result = CypherReadOnlyValidator.Validate(query, policy);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsAllowed, Is.False);
            Assert.That(result.Clause, Is.EqualTo(function));
            Assert.That(result.Reason, Does.StartWith("Function"));
        }
    }

    [TestCase(3, "MATCH (a)-[*1..3]->(b) RETURN b", true)]
    [TestCase(3, "MATCH (a)-[*1..4]->(b) RETURN b", false)]
    [TestCase(3, "MATCH (a)-[*4]->(b) RETURN b", false)]
    [TestCase(3, "MATCH ((a)-->(b)){1,3} RETURN b", true)]
    [TestCase(3, "MATCH ((a)-->(b)){1,4} RETURN b", false)]
    [TestCase(50, "MATCH (a)-[r:KNOWS*1..50]->(b) RETURN b", true)]
    [TestCase(50, "MATCH (a)-[r:KNOWS*1..]->(b) RETURN b", false)]
    [TestCase(0, "MATCH (a)-[*0]->(b) RETURN b", true)]
    [TestCase(0, "MATCH (a)-[*1]->(b) RETURN b", false)]
    public void Validate_VariableLengthUpperBound_IsComparedWithPolicyLimit(int limit, string query, bool allowed)
    {
        var policy = new CypherPolicy { MaxVariableLengthHops = limit };

        Assert.That(CypherReadOnlyValidator.Validate(query, policy).IsAllowed, Is.EqualTo(allowed));
    }

    [Test]
    public void Validate_UpperBoundAboveLimit_ReasonStatesBoundAndLimit()
    {
        var result = CypherReadOnlyValidator.Validate("MATCH (a)-[*1..50]->(b) RETURN b", CypherPolicy.ReadOnly);

        Assert.That(result.Reason, Does.Contain("up to 50 hops but the limit is 10"));
    }

    [Test]
    public void Validate_NullPolicy_FallsBackToReadOnly()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(CypherReadOnlyValidator.Validate("CALL db.labels()", null!).IsAllowed, Is.True);
            Assert.That(CypherReadOnlyValidator.Validate("CREATE (n)", null!).IsAllowed, Is.False);
        }
    }

    [Test]
    public void ReadOnly_DefaultsMatchDocumentedReadOnlyPolicy()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(CypherPolicy.ReadOnly.MaxVariableLengthHops, Is.EqualTo(10));
            Assert.That(CypherPolicy.ReadOnly.AllowedProcedures, Is.Empty);
            Assert.That(CypherPolicy.ReadOnly.DeniedProcedures, Is.Empty);
            Assert.That(CypherPolicy.BuiltInAllowedProcedures, Does.Contain("db.labels"));
        }
    }
}
