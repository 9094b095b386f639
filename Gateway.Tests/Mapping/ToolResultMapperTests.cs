using System.Text;
using Gateway.Tests.Configuration;
using Gateway.Transforms.Mapping;
using ModelContextProtocol.Protocol;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Tests.Mapping;

public sealed class ToolResultMapperTests
{
    [Test]
    public void Success_WithOutputSchema_HasTextAndStructuredContent()
    {
        var tool = ToolDefinitions.Create("search", "search-cluster", outputSchema: """{"type":"object"}""");
        var result = ToolResultMapper.Map(tool, Response(200, """{"results":[1]}""", "application/json; charset=utf-8"), out var code);

        Assert.That(code, Is.Null);
        Assert.That(result.IsError, Is.Not.True);
        Assert.That(((TextContentBlock)result.Content[0]).Text, Is.EqualTo("""{"results":[1]}"""));
        Assert.That(result.StructuredContent!.Value.GetProperty("results")[0].GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public void Success_WithoutOutputSchema_HasNoStructuredContent()
    {
        var tool = ToolDefinitions.Create("search", "search-cluster");
        var result = ToolResultMapper.Map(tool, Response(200, """{"a":1}""", "application/json"), out _);
        Assert.That(result.StructuredContent, Is.Null);
    }

    [Test]
    public void ClientError_IsErrorWithTheBackendsMessage()
    {
        var tool = ToolDefinitions.Create("agent", "agents");
        var result = ToolResultMapper.Map(tool, Response(404, """{"error":"not_found","detail":"no agent 'x'"}""", "application/json"), out var code);
        var text = ((TextContentBlock)result.Content[0]).Text;

        Assert.That(result.IsError, Is.True);
        Assert.That(code, Is.EqualTo("BackendRejected"));
        Assert.That(text, Does.Contain("agent").And.Contain("agents").And.Contain("404").And.Contain("no agent 'x'"));
    }

    [TestCase(ForwarderError.Request, 502, "BackendUnavailable", "connection")]
    [TestCase(ForwarderError.NoAvailableDestinations, 503, "BackendUnavailable", "no healthy destination")]
    [TestCase(ForwarderError.RequestTimedOut, 504, "ToolTimeout", "timed out")]
    [TestCase(ForwarderError.None, 503, "BackendUnavailable", "503")]
    [TestCase(ForwarderError.None, 500, "BackendError", "500")]
    public void Failures_NameToolBackendAndFailureWithoutInternals(ForwarderError error, int status, string expectedCode, string expectedText)
    {
        var tool = ToolDefinitions.Create("llm", "llm-gateway");
        var result = ToolResultMapper.Map(tool, new BackendResponse(status, null, Encoding.UTF8.GetBytes("System.Exception: boom\n   at X.Y()"), error), out var code);
        var text = ((TextContentBlock)result.Content[0]).Text;

        Assert.That(result.IsError, Is.True);
        Assert.That(code, Is.EqualTo(expectedCode));
        Assert.That(text, Does.StartWith(expectedCode).And.Contain("'llm'").And.Contain("'llm-gateway'").And.Contain(expectedText));
        if (error != ForwarderError.None)
        {
            Assert.That(text, Does.Not.Contain("System.Exception"));
        }
    }

    private static BackendResponse Response(int status, string body, string contentType) =>
        new(status, contentType, Encoding.UTF8.GetBytes(body), ForwarderError.None);
}
