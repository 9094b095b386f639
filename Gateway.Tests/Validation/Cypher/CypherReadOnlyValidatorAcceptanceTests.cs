using Gateway.Transforms.Validation.Cypher;

namespace Gateway.Tests.Validation.Cypher;

public sealed class CypherReadOnlyValidatorAcceptanceTests
{
    [TestCaseSource(typeof(CypherBenignCorpus), nameof(CypherBenignCorpus.Cases))]
    public void Validate_ReadOnlyQueryResemblingWrites_IsAllowed(string query)
    {
        var result = CypherReadOnlyValidator.Validate(query, CypherPolicy.ReadOnly);

        Assert.That(result.IsAllowed, Is.True, () => $"{result.Clause}: {result.Reason}");
    }

    [Test]
    public void Validate_AllowedQuery_ReportsNoClauseOrReason()
    {
        var result = CypherReadOnlyValidator.Validate("MATCH (n) RETURN n", CypherPolicy.ReadOnly);

        Assert.That(result, Is.EqualTo(CypherValidationResult.Allowed));
    }

    [Test]
    public void Corpus_HasAtLeast80BenignQueries()
    {
        Assert.That(CypherBenignCorpus.Queries, Has.Length.GreaterThanOrEqualTo(80));
    }
}
