using Gateway.Proxy.Mcp;

namespace Gateway.Tests.Mcp;

public sealed class McpOptionsValidatorTests
{
    public static IEnumerable<TestCaseData> InvalidCaps()
    {
        yield return new TestCaseData(new McpOptions { MaxSessionsPerPrincipal = 0 }, "Gateway:Mcp:MaxSessionsPerPrincipal must be between 1 and")
            .SetName("Validate_ZeroSessionsPerPrincipal_IsRejected");
        yield return new TestCaseData(new McpOptions { MaxSessions = 10, MaxSessionsPerPrincipal = 11 }, "Gateway:Mcp:MaxSessionsPerPrincipal must be between 1 and Gateway:Mcp:MaxSessions (10)")
            .SetName("Validate_SessionsPerPrincipalAboveTheOverallCap_IsRejected");
        yield return new TestCaseData(new McpOptions { MaxStreams = 0, MaxStreamsPerPrincipal = 0 }, "Gateway:Mcp:MaxStreams must be at least 1")
            .SetName("Validate_ZeroStreams_IsRejected");
        yield return new TestCaseData(new McpOptions { MaxStreams = 5, MaxStreamsPerPrincipal = 6 }, "Gateway:Mcp:MaxStreamsPerPrincipal must be between 1 and Gateway:Mcp:MaxStreams (5)")
            .SetName("Validate_StreamsPerPrincipalAboveTheOverallCap_IsRejected");
        yield return new TestCaseData(new McpOptions { MaxListenStreams = 0, MaxListenStreamsPerPrincipal = 0 }, "Gateway:Mcp:MaxListenStreams must be at least 1")
            .SetName("Validate_ZeroListenStreams_IsRejected");
        yield return new TestCaseData(new McpOptions { MaxListenStreams = 5, MaxListenStreamsPerPrincipal = 6 }, "Gateway:Mcp:MaxListenStreamsPerPrincipal must be between 1 and Gateway:Mcp:MaxListenStreams (5)")
            .SetName("Validate_ListenStreamsPerPrincipalAboveTheOverallCap_IsRejected");
        yield return new TestCaseData(new McpOptions { Resumability = { Enabled = true } }, "Gateway:Mcp:Resumability:Enabled needs Gateway:Mcp:Stateful=true")
            .SetName("Validate_ResumabilityWithoutSessions_IsRejected");
        yield return new TestCaseData(new McpOptions { Stateful = true, Resumability = { Enabled = true, EventRetention = TimeSpan.Zero } }, "Gateway:Mcp:Resumability:EventRetention must be positive")
            .SetName("Validate_ZeroEventRetention_IsRejected");
        yield return new TestCaseData(new McpOptions { Stateful = true, Resumability = { Enabled = true, MaxBytes = 1000 } }, "Gateway:Mcp:Resumability:MaxBytes must be between 1048576 (1 MiB) and")
            .SetName("Validate_TinyEventStore_IsRejected");
    }

    [TestCaseSource(nameof(InvalidCaps))]
    public void Validate_InvalidCaps_FailNamingTheSetting(McpOptions options, string expected)
    {
        var result = new McpOptionsValidator().Validate(null, options);

        Assert.That(result.Failures, Has.Some.Contains(expected));
    }

    [Test]
    public void Validate_ResumabilityOnStatefulSessions_Succeeds() =>
        Assert.That(new McpOptionsValidator().Validate(null, new McpOptions { Stateful = true, Resumability = { Enabled = true } }).Succeeded, Is.True);

    [Test]
    public void Validate_Defaults_Succeed() =>
        Assert.That(new McpOptionsValidator().Validate(null, new McpOptions()).Succeeded, Is.True);
}
