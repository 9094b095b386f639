using Gateway.Proxy.Observability.Audit;

namespace Gateway.Tests.Observability.Audit;

public sealed class AuditOptionsValidatorTests
{
    private static IEnumerable<TestCaseData> InvalidOptions()
    {
        yield return new TestCaseData(new AuditOptions { Path = " " }, "Audit:Path is empty").SetName("Validate_EmptyPath_Fails");
        yield return new TestCaseData(new AuditOptions { Path = "logs/" }, "names a directory").SetName("Validate_DirectoryPath_Fails");
        yield return new TestCaseData(new AuditOptions { QueueCapacity = 0 }, "Audit:QueueCapacity is 0").SetName("Validate_ZeroQueueCapacity_Fails");
        yield return new TestCaseData(new AuditOptions { MaxFileBytes = -1 }, "Audit:MaxFileBytes is -1").SetName("Validate_NegativeMaxFileBytes_Fails");
        yield return new TestCaseData(new AuditOptions { MaxRetainedFiles = 0 }, "Audit:MaxRetainedFiles is 0").SetName("Validate_ZeroRetainedFiles_Fails");
        yield return new TestCaseData(new AuditOptions { ForwardBatchSize = 0 }, "Audit:ForwardBatchSize is 0").SetName("Validate_ZeroBatchSize_Fails");
        yield return new TestCaseData(new AuditOptions { ForwardTimeout = TimeSpan.Zero }, "Audit:ForwardTimeout").SetName("Validate_ZeroTimeout_Fails");
        yield return new TestCaseData(new AuditOptions { AuditServiceUrl = new Uri("ftp://audit.local/") }, "absolute http or https").SetName("Validate_FtpServiceUrl_Fails");
        yield return new TestCaseData(new AuditOptions { AuditServiceUrl = new Uri("/audit", UriKind.Relative) }, "absolute http or https").SetName("Validate_RelativeServiceUrl_Fails");
    }

    [TestCaseSource(nameof(InvalidOptions))]
    public void Validate_InvalidOption_NamesTheSetting(AuditOptions options, string expectedMessage)
    {
        var result = new AuditOptionsValidator().Validate(null, options);

        Assert.That(result.Failed, Is.True);
        Assert.That(result.FailureMessage, Does.Contain(expectedMessage));
    }

    [Test]
    public void Validate_Defaults_Succeed()
    {
        var result = new AuditOptionsValidator().Validate(null, new AuditOptions { AuditServiceUrl = new Uri("https://audit.example/ingest") });

        Assert.That(result.Succeeded, Is.True, result.FailureMessage);
    }

    [Test]
    public void Path_DefaultsToLogsAuditJsonl()
    {
        Assume.That(Environment.GetEnvironmentVariable(AuditOptions.PathEnvironmentVariable), Is.Null.Or.Empty);

        Assert.That(new AuditOptions().Path, Is.EqualTo("logs/audit.jsonl"));
    }
}
