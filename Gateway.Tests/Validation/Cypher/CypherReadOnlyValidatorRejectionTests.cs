using Gateway.Transforms.Validation.Cypher;

namespace Gateway.Tests.Validation.Cypher;

public sealed class CypherReadOnlyValidatorRejectionTests
{
    [TestCaseSource(typeof(CypherAttackCorpus), nameof(CypherAttackCorpus.GeneratedWriteClauses))]
    public void Validate_WriteClauseInAnySpellingAndPlace_IsRejectedAtTheKeyword(string query, string clause, string marker) =>
        AssertRejected(query, clause, marker);

    [TestCaseSource(typeof(CypherAttackCorpus), nameof(CypherAttackCorpus.HandWritten))]
    public void Validate_AttackQuery_IsRejectedWithClauseAndPosition(string query, string clause, string marker) =>
        AssertRejected(query, clause, marker);

    [Test]
    public void Validate_RejectionOnThirdLine_ReportsLineAndColumnOfOriginalText()
    {
        const string query = "MATCH (n)\r\nWITH n\n    DETACH DELETE n";

        var result = CypherReadOnlyValidator.Validate(query, CypherPolicy.ReadOnly);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Position, Is.EqualTo(query.IndexOf("DETACH", StringComparison.Ordinal)));
            Assert.That(result.Line, Is.EqualTo(3));
            Assert.That(result.Column, Is.EqualTo(5));
        }
    }

    [Test]
    public void Validate_WriteClause_ReasonNamesClauseLocationAndAlternative()
    {
        var result = CypherReadOnlyValidator.Validate("MATCH (n) CREATE (m)", CypherPolicy.ReadOnly);

        Assert.That(result.Reason, Is.EqualTo(
            "Write clause CREATE at line 1, column 11 is not allowed: graph_query is read-only. Use MATCH ... RETURN."));
    }

    [Test]
    public void Validate_EscapedKeyword_PositionCountsEscapeCharactersOfOriginalText()
    {
        const string query = @"RETURN '\u00e9' AS x CR\u0045ATE (n)";

        var result = CypherReadOnlyValidator.Validate(query, CypherPolicy.ReadOnly);

        Assert.That(result.Position, Is.EqualTo(21));
    }

    [Test]
    public void Validate_NestingDeeperThanLimit_IsRejectedInsteadOfRecursing()
    {
        string query = "RETURN " + new string('(', 300) + "1" + new string(')', 300);

        var result = CypherReadOnlyValidator.Validate(query, CypherPolicy.ReadOnly);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsAllowed, Is.False);
            Assert.That(result.Reason, Does.Contain("nested more than 256"));
        }
    }

    [Test]
    public void Validate_NullQuery_IsRejectedAsEmpty()
    {
        var result = CypherReadOnlyValidator.Validate(null!, CypherPolicy.ReadOnly);

        Assert.That(result.Clause, Is.EqualTo("empty query"));
    }

    [Test]
    public void Corpus_HasAtLeast150Attacks()
    {
        Assert.That(CypherAttackCorpus.AllQueries().Count(), Is.GreaterThanOrEqualTo(150));
    }

    private static void AssertRejected(string query, string clause, string marker)
    {
        var result = CypherReadOnlyValidator.Validate(query, CypherPolicy.ReadOnly);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsAllowed, Is.False, "query was allowed");
            Assert.That(result.Clause, Is.EqualTo(clause), result.Reason);
            Assert.That(result.Position, Is.EqualTo(ExpectedPosition(query, marker)), result.Reason);
            Assert.That(result.Reason, Is.Not.Null.And.Not.Empty);
        }
    }

    // The marker is the text at the offending token; '^' inside it marks the exact spot, "" means end of query.
    private static int ExpectedPosition(string query, string marker)
    {
        if (marker.Length == 0)
        {
            return query.Length;
        }

        int caret = marker.IndexOf('^', StringComparison.Ordinal);
        string text = caret < 0 ? marker : marker.Remove(caret, 1);
        int index = query.IndexOf(text, StringComparison.Ordinal);
        Assert.That(index, Is.GreaterThanOrEqualTo(0), $"marker '{marker}' not found in the query");
        return index + Math.Max(caret, 0);
    }
}
