using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Transforms.Mapping;

namespace Gateway.Tests.Mapping;

public sealed class PathTemplateTests
{
    [TestCase("/v1/agents/{agent}/run", "a/b", "/v1/agents/a%2Fb/run")]
    [TestCase("/v1/agents/{agent}/run", "a b?c#d", "/v1/agents/a%20b%3Fc%23d/run")]
    [TestCase("/v1/agents/{agent}/run", "..a", "/v1/agents/..a/run")]
    [TestCase("/v1/agents/{agent}/run", "%41", "/v1/agents/%2541/run")]
    [TestCase("/v1/items/v{agent}", "7", "/v1/items/v7")]
    public void Expand_EncodesEachArgumentAsExactlyOneSegment(string template, string value, string expected)
    {
        var parsed = PathTemplate.Parse(template, out var error);
        Assert.That(error, Is.Null);
        Assert.That(parsed.TryExpand(Arguments(new JsonObject { ["agent"] = value }), out var path, out _), Is.True);
        Assert.That(path, Is.EqualTo(expected));
    }

    [TestCase(".", "'.' or '..'")]
    [TestCase("..", "'.' or '..'")]
    [TestCase("...", "'.' or '..'")]
    [TestCase("\\u2026", "'.' or '..'")]
    [TestCase("a/../b", "'.' or '..'")]
    [TestCase("a\\\\..", "'.' or '..'")]
    [TestCase("%2e%2E", "percent-decodes to a '.' or '..'")]
    [TestCase(".%2e", "percent-decodes to a '.' or '..'")]
    [TestCase("%252e%252e", "percent-decodes to a '.' or '..'")]
    [TestCase("x%2f..", "percent-decodes to a '.' or '..'")]
    [TestCase("%EF%BC%8E%EF%BC%8E", "look-alike")]
    [TestCase("\\uff0e\\uff0e", "look-alike")]
    [TestCase("\\u2025", "look-alike")]
    [TestCase("%C0%AE%C0%AE", "not UTF-8")]
    [TestCase("%25252525252525252525252e", "more than 8 times")]
    [TestCase("", "is empty")]
    [TestCase("a\\u0000", "control character U+0000")]
    [TestCase("a%00", "control character")]
    [TestCase("a\\r\\nb", "control character U+000D")]
    [TestCase("\\ud800", "unpaired UTF-16 surrogate")]
    public void Expand_ValueThatCouldClimbOrBreakThePath_IsRefusedWithTheReason(string escapedValue, string expected)
    {
        var parsed = PathTemplate.Parse("/v1/agents/{agent}/run", out _);
        var arguments = JsonDocument.Parse($"{{\"agent\":\"{escapedValue}\"}}").RootElement;

        var ok = parsed.TryExpand(arguments, out _, out var problem);

        Assert.That(ok, Is.False);
        Assert.That(problem.Argument, Is.EqualTo("agent"));
        Assert.That(problem.Problem, Does.Contain(expected));
    }

    [TestCase("[1]", "is an array")]
    [TestCase("{}", "is an object")]
    public void Expand_ArrayOrObject_IsRefused(string json, string expected)
    {
        var parsed = PathTemplate.Parse("/v1/{agent}", out _);
        Assert.That(parsed.TryExpand(Arguments(new JsonObject { ["agent"] = JsonNode.Parse(json) }), out _, out var problem), Is.False);
        Assert.That(problem.Problem, Does.Contain(expected).And.Contain("string, number or boolean"));
    }

    [TestCase("42", "/v1/42")]
    [TestCase("-1.5", "/v1/-1.5")]
    [TestCase("false", "/v1/false")]
    public void Expand_NumberOrBoolean_IsItsJsonText(string json, string expected)
    {
        var parsed = PathTemplate.Parse("/v1/{agent}", out _);
        Assert.That(parsed.TryExpand(Arguments(new JsonObject { ["agent"] = JsonNode.Parse(json) }), out var path, out _), Is.True);
        Assert.That(path, Is.EqualTo(expected));
    }

    [Test]
    public void Expand_MissingArgument_ReportsItsName()
    {
        var parsed = PathTemplate.Parse("/v1/{agent}/functions/{function}", out _);
        var ok = parsed.TryExpand(Arguments(new JsonObject { ["agent"] = "a", ["function"] = null }), out _, out var problem);
        Assert.That(ok, Is.False);
        Assert.That(problem.Argument, Is.EqualTo("function"));
        Assert.That(problem.Problem, Does.Contain("required"));
    }

    [TestCase("/v1/../admin/{x}", "'..' segment")]
    [TestCase("/v1/./{x}", "'.' segment")]
    [TestCase("/v1/%2e%2e/{x}", "segment")]
    [TestCase("/v1/a b/{x}", "not allowed in a URL path")]
    [TestCase("/v1/{**rest}", "invalid hole")]
    public void Parse_LiteralThatIsNotACleanUrlPath_IsAConfigError(string template, string expected)
    {
        PathTemplate.Parse(template, out var error);
        Assert.That(error, Does.Contain(expected));
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

    private static JsonElement Arguments(JsonObject arguments) => JsonDocument.Parse(arguments.ToJsonString()).RootElement;
}
