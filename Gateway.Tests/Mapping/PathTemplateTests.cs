using Gateway.Transforms.Mapping;

namespace Gateway.Tests.Mapping;

public sealed class PathTemplateTests
{
    [TestCase("/v1/agents/{agent}/run", "a/b", "/v1/agents/a%2Fb/run")]
    [TestCase("/v1/agents/{agent}/run", "..", "/v1/agents/%2E%2E/run")]
    [TestCase("/v1/agents/{agent}/run", ".", "/v1/agents/%2E/run")]
    [TestCase("/v1/agents/{agent}/run", "a b?c#d", "/v1/agents/a%20b%3Fc%23d/run")]
    [TestCase("/v1/agents/{agent}/run", "%2e%2e", "/v1/agents/%252e%252e/run")]
    [TestCase("/v1/items/v{agent}", "7", "/v1/items/v7")]
    public void Expand_EncodesEachArgumentAsExactlyOneSegment(string template, string value, string expected)
    {
        var parsed = PathTemplate.Parse(template, out var error);
        Assert.That(error, Is.Null);
        Assert.That(parsed.TryExpand(_ => value, out var path, out _), Is.True);
        Assert.That(path, Is.EqualTo(expected));
    }

    [Test]
    public void Expand_MissingArgument_ReportsItsName()
    {
        var parsed = PathTemplate.Parse("/v1/{agent}/functions/{function}", out _);
        var ok = parsed.TryExpand(name => name == "agent" ? "a" : null, out _, out var missing);
        Assert.That(ok, Is.False);
        Assert.That(missing, Is.EqualTo("function"));
    }

    [TestCase("v1/x", "must start with '/'")]
    [TestCase("/v1/{agent", "unclosed")]
    [TestCase("/v1/agent}", "without a matching")]
    [TestCase("/v1/{a b}", "invalid hole")]
    [TestCase("/v1/x?y=1", "Query")]
    public void Parse_InvalidTemplate_ExplainsTheProblem(string template, string expected)
    {
        PathTemplate.Parse(template, out var error);
        Assert.That(error, Does.Contain(expected));
    }

    [Test]
    public void Parse_ListsHoleArgumentsInOrder()
    {
        var parsed = PathTemplate.Parse("/v1/agents/{agent}/functions/{function}", out _);
        Assert.That(parsed.Arguments, Is.EqualTo(new[] { "agent", "function" }));
    }
}
