using Gateway.Transforms.Schema;

namespace Gateway.Tests.Schema;

public sealed class ToolSchemaFormatTests
{
    private static readonly ToolSchemaOptions Asserting = new() { AssertFormats = true };

    [TestCase("date-time", "2024-05-01T12:00:00Z", true)]
    [TestCase("date-time", "2024-05-01t12:00:00.123456z", true)]
    [TestCase("date-time", "2024-05-01T12:00:00+05:30", true)]
    [TestCase("date-time", "2016-12-31T23:59:60Z", true)]
    [TestCase("date-time", "2024-02-29T00:00:00Z", true)]
    [TestCase("date-time", "2023-02-29T00:00:00Z", false)]
    [TestCase("date-time", "2024-05-01T12:00:00", false)]
    [TestCase("date-time", "2024-05-01 12:00:00Z", false)]
    [TestCase("date-time", "2024-13-01T12:00:00Z", false)]
    [TestCase("date-time", "2024-05-01T24:00:00Z", false)]
    [TestCase("date-time", "2024-05-01T12:00:00.Z", false)]
    [TestCase("date-time", "2024-05-01T12:00:00+5:30", false)]
    [TestCase("date-time", "tomorrow", false)]
    [TestCase("uuid", "123e4567-e89b-12d3-a456-426614174000", true)]
    [TestCase("uuid", "123E4567-E89B-12D3-A456-426614174000", true)]
    [TestCase("uuid", "{123e4567-e89b-12d3-a456-426614174000}", false)]
    [TestCase("uuid", "123e4567e89b12d3a456426614174000", false)]
    [TestCase("uuid", "not-a-uuid", false)]
    [TestCase("email", "name@example.com", true)]
    [TestCase("email", "first.last+tag@sub.example.org", true)]
    [TestCase("email", "@example.com", false)]
    [TestCase("email", "name@", false)]
    [TestCase("email", "a@b@c", false)]
    [TestCase("email", "name @example.com", false)]
    [TestCase("email", "name@example..com", false)]
    [TestCase("uri", "https://example.com/path?q=1", true)]
    [TestCase("uri", "urn:isbn:0451450523", true)]
    [TestCase("uri", "mailto:a@b.c", true)]
    [TestCase("uri", "/relative/path", false)]
    [TestCase("uri", "example.com", false)]
    [TestCase("uri", "https://exa mple.com", false)]
    [TestCase("uri", "1http://x", false)]
    public void Validate_AssertedFormat(string format, string value, bool expectedValid)
    {
        var schema = CompileAsserting($"{{'type':'object','properties':{{'x':{{'type':'string','format':'{format}'}}}}}}");

        var result = schema.Validate(SchemaJson.Parse($"{{'x':\"{value}\"}}"));

        Assert.That(result.IsValid, Is.EqualTo(expectedValid), () => result.ToString());
    }

    [Test]
    public void Validate_AssertedFormatMismatch_SaysWhatShapeIsExpected()
    {
        var schema = CompileAsserting("{'type':'object','properties':{'since':{'type':'string','format':'date-time'}}}");

        var result = schema.Validate(SchemaJson.Parse("{'since':'yesterday'}"));

        Assert.That(result.Errors.Single().Message, Is.EqualTo("argument 'since' must be an RFC 3339 date-time such as 2024-05-01T12:00:00Z"));
    }

    [Test]
    public void Validate_FormatByDefault_IsOnlyAnAnnotation()
    {
        var schema = SchemaJson.CompileValid("{'type':'object','properties':{'id':{'type':'string','format':'uuid'}}}");

        var result = schema.Validate(SchemaJson.Parse("{'id':'not-a-uuid'}"));

        Assert.That(result.IsValid, Is.True);
    }

    [Test]
    public void Compile_AssertingAnUnknownFormat_IsRejectedRatherThanIgnored()
    {
        ToolSchema.Compile(SchemaJson.Parse("{'type':'object','properties':{'ip':{'type':'string','format':'ipv4'}}}"),
            ToolSchemaRole.Input, Asserting, out var errors);

        Assert.That(errors, Is.EqualTo(new[]
        {
            "inputSchema/properties/ip/format: format 'ipv4' cannot be enforced (supported: date-time, email, uri, uuid); remove it, or turn AssertFormats off to treat formats as annotations",
        }));
    }

    private static ToolSchema CompileAsserting(string schema)
    {
        var compiled = ToolSchema.Compile(SchemaJson.Parse(schema), ToolSchemaRole.Input, Asserting, out var errors);
        Assert.That(errors, Is.Empty);
        return compiled;
    }
}
