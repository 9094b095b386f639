using System.Text.Json;
using Gateway.Transforms.Schema;

namespace Gateway.Tests.Schema;

/// <summary>Test helpers: JSON written with single quotes (readable inside [TestCase]) and schema shortcuts.</summary>
internal static class SchemaJson
{
    public static JsonElement Parse(string singleQuotedJson)
    {
        using var document = JsonDocument.Parse(singleQuotedJson.Replace('\'', '"'));
        return document.RootElement.Clone();
    }

    /// <summary>Compiles and fails the test if the schema itself is rejected.</summary>
    public static ToolSchema CompileValid(string singleQuotedSchema)
    {
        var schema = ToolSchema.Compile(Parse(singleQuotedSchema), out var errors);
        Assert.That(errors, Is.Empty, "the test schema itself should compile");
        return schema;
    }

    public static IReadOnlyList<string> CompileErrors(string singleQuotedSchema)
    {
        ToolSchema.Compile(Parse(singleQuotedSchema), out var errors);
        return errors;
    }

    /// <summary>Wraps a property schema as the only property 'x' of an object inputSchema.</summary>
    public static ToolSchema CompileProperty(string singleQuotedPropertySchema) =>
        CompileValid($"{{'type':'object','properties':{{'x':{singleQuotedPropertySchema}}}}}");

    public static SchemaValidationResult ValidateProperty(ToolSchema schema, string singleQuotedValue) =>
        schema.Validate(Parse($"{{'x':{singleQuotedValue}}}"));
}
