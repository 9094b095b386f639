using System.Buffers;
using System.Text;
using System.Text.Json;
using Gateway.Transforms.Mapping;

namespace Gateway.Tests.Mapping;

public sealed class RestRequestTemplateTests
{
    [Test]
    public void Parse_FullDeclaration_BindsEveryPart()
    {
        var errors = new List<string>();
        var template = RestRequestTemplate.Parse("post /v1/{tenant}/search", "k=top_k,filter", "query,text=prompt", "X-Session=session", errors);

        Assert.That(errors, Is.Empty);
        Assert.That(template!.Method, Is.EqualTo(HttpMethod.Post));
        Assert.That(template.Query.Select(q => (q.Target, q.Argument)), Is.EqualTo(new[] { ("k", "top_k"), ("filter", "filter") }));
        Assert.That(template.BodyMode, Is.EqualTo(BodyMode.Listed));
        Assert.That(template.Headers.Single(), Is.EqualTo(new ArgumentBinding("X-Session", "session")));
        Assert.That(template.ReferencedArguments, Is.EquivalentTo(new[] { "tenant", "top_k", "filter", "query", "prompt", "session" }));
    }

    [TestCase("FETCH /x", null, null, null, "not supported")]
    [TestCase("/x", null, null, null, "<METHOD> <path>")]
    [TestCase("GET /x", null, "query", null, "Body is not allowed with GET")]
    [TestCase("POST /x", null, null, "Authorization=token", "reserved")]
    [TestCase("POST /x", null, null, "Cookie=c", "reserved")]
    [TestCase("POST /x", null, null, "X-Api-Key=k", "reserved")]
    [TestCase("POST /x", "=q", null, null, "invalid")]
    [TestCase("POST /x", null, null, "Bad Header=v", "not a valid header name")]
    public void Parse_InvalidDeclaration_ReportsWhatToFix(string line, string? query, string? body, string? headers, string expected)
    {
        var errors = new List<string>();
        var template = RestRequestTemplate.Parse(line, query, body, headers, errors);
        Assert.That(template, Is.Null);
        Assert.That(string.Join("\n", errors), Does.Contain(expected));
    }

    [TestCase("POST", null, """{"a":1,"b":"x"}""")]
    [TestCase("GET", null, null)]
    [TestCase("DELETE", null, null)]
    [TestCase("POST", "none", null)]
    [TestCase("POST", "*", """{"a":1,"b":"x"}""")]
    [TestCase("PUT", "renamed=a", """{"renamed":1}""")]
    public void WriteBody_FollowsTheBodyMode(string method, string? body, string? expected)
    {
        var errors = new List<string>();
        var template = RestRequestTemplate.Parse($"{method} /x/{{id}}", "q", body, null, errors)!;
        var arguments = JsonDocument.Parse("""{"id":"7","q":"query-only","a":1,"b":"x"}""").RootElement;
        var buffer = new ArrayBufferWriter<byte>();

        var wrote = template.TryWriteBody(arguments, buffer);

        Assert.That(wrote ? Encoding.UTF8.GetString(buffer.WrittenSpan) : null, Is.EqualTo(expected));
    }

    [TestCase("""{"v":"text"}""", "text")]
    [TestCase("""{"v":42}""", "42")]
    [TestCase("""{"v":1.5e3}""", "1.5e3")]
    [TestCase("""{"v":true}""", "true")]
    [TestCase("""{"v":null}""", null)]
    [TestCase("""{}""", null)]
    public void ScalarText_RendersJsonScalarsForUrls(string json, string? expected) =>
        Assert.That(RestRequestTemplate.ScalarText(JsonDocument.Parse(json).RootElement, "v"), Is.EqualTo(expected));
}
