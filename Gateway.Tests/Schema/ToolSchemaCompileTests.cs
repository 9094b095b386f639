using System.Text.Json;
using Gateway.Transforms.Schema;

namespace Gateway.Tests.Schema;

public sealed class ToolSchemaCompileTests
{
    [TestCase(RealisticToolSchemas.SemanticSearch, TestName = "Compile_SemanticSearchSchema_HasNoErrors")]
    [TestCase(RealisticToolSchemas.GraphQuery, TestName = "Compile_GraphQuerySchema_HasNoErrors")]
    [TestCase("{'type':'object'}", TestName = "Compile_BareObjectSchema_HasNoErrors")]
    [TestCase("{'type':'object','title':'t','description':'d','$schema':'https://json-schema.org/draft/2020-12/schema','$id':'urn:x','$comment':'c','examples':[{}],'deprecated':false,'readOnly':false,'writeOnly':false,'x-vendor':1}",
        TestName = "Compile_AnnotationKeywords_AreIgnored")]
    [TestCase("{'type':'object','properties':{'when':{'type':'string','format':'date-time'},'site':{'type':'string','format':'made-up'}}}",
        TestName = "Compile_FormatKeyword_IsAnAnnotation")]
    [TestCase("{'type':'object','properties':{'a':true,'b':false,'c':{}}}", TestName = "Compile_BooleanAndEmptySubschemas_AreAccepted")]
    [TestCase("{'type':'object','properties':{'x':{'type':['string','null']}}}", TestName = "Compile_TypeArray_IsAccepted")]
    [TestCase("{'type':'object','properties':{'x':{'anyOf':[{'type':'string'},{'type':'integer'}]},'y':{'oneOf':[{'type':'string'}]},'z':{'allOf':[{'minimum':1}]}}}",
        TestName = "Compile_Combinators_AreAccepted")]
    [TestCase("{'type':'object','properties':{'x':{'type':'integer','minimum':1,'maximum':1,'minLength':0}}}", TestName = "Compile_EqualMinimumAndMaximum_IsAccepted")]
    [TestCase("{'type':'object','properties':{'x':{'type':'integer','minItems':2.0}}}", TestName = "Compile_CountWrittenAsWholeDecimal_IsAccepted")]
    [TestCase("{'type':'object','$defs':{'unused':{'type':'string'}}}", TestName = "Compile_UnreferencedDefs_AreIgnored")]
    [TestCase("{'type':'object','properties':{'x':{'pattern':'(a)\\\\1'}}}", TestName = "Compile_PatternNeedingBacktracking_IsAccepted")]
    public void Compile_SupportedSchema_HasNoErrors(string schema)
    {
        var errors = SchemaJson.CompileErrors(schema);

        Assert.That(errors, Is.Empty);
    }

    [TestCase("[]", "inputSchema: must be a JSON Schema object with \"type\": \"object\", got array")]
    [TestCase("'object'", "inputSchema: must be a JSON Schema object with \"type\": \"object\", got string")]
    [TestCase("true", "inputSchema: must be a JSON Schema object with \"type\": \"object\", got boolean")]
    [TestCase("{}", "inputSchema: MCP requires inputSchema to declare \"type\": \"object\"; add it")]
    [TestCase("{'properties':{}}", "inputSchema: MCP requires inputSchema to declare \"type\": \"object\"; add it")]
    [TestCase("{'type':'string'}", "inputSchema/type: MCP requires inputSchema to be \"object\", got a string")]
    [TestCase("{'type':['object','null']}", "inputSchema/type: MCP requires inputSchema to be \"object\", got an object or null")]
    public void Compile_RootThatIsNotAnObjectSchema_IsRejected(string schema, string expected)
    {
        var errors = SchemaJson.CompileErrors(schema);

        Assert.That(errors, Is.EqualTo(new[] { expected }));
    }

    [TestCase("{'type':'object','properties':{'top_k':{'type':'integr'}}}",
        "inputSchema/properties/top_k/type: 'integr' is not a JSON Schema type; use one of string, number, integer, boolean, object, array, null")]
    [TestCase("{'type':'object','properties':{'x':{'type':'int'}}}",
        "inputSchema/properties/x/type: 'int' is not a JSON Schema type; use one of string, number, integer, boolean, object, array, null")]
    [TestCase("{'type':'object','properties':{'x':{'type':['string','float']}}}",
        "inputSchema/properties/x/type/1: 'float' is not a JSON Schema type; use one of string, number, integer, boolean, object, array, null")]
    [TestCase("{'type':'object','properties':{'x':{'type':[]}}}",
        "inputSchema/properties/x/type: must list at least one type (string, number, integer, boolean, object, array, null)")]
    [TestCase("{'type':'object','properties':{'x':{'type':['string','string']}}}",
        "inputSchema/properties/x/type/1: 'string' is listed more than once")]
    [TestCase("{'type':'object','properties':{'x':{'type':3}}}",
        "inputSchema/properties/x/type: must be a type name or an array of type names, got number")]
    [TestCase("{'type':'object','properties':{'x':{'type':[1]}}}",
        "inputSchema/properties/x/type/0: must be a type name (string, number, integer, boolean, object, array, null), got number")]
    public void Compile_BadTypeKeyword_IsRejectedWithPointer(string schema, string expected)
    {
        var errors = SchemaJson.CompileErrors(schema);

        Assert.That(errors, Is.EqualTo(new[] { expected }));
    }

    [TestCase("{'type':'object','required':'query'}", "inputSchema/required: must be an array of property names, got string")]
    [TestCase("{'type':'object','required':[1]}", "inputSchema/required/0: must be a property name (a string), got number")]
    [TestCase("{'type':'object','required':['q','q']}", "inputSchema/required/1: 'q' is listed more than once")]
    [TestCase("{'type':'object','required':true}", "inputSchema/required: must be an array of property names, got boolean")]
    [TestCase("{'type':'object','properties':[]}", "inputSchema/properties: must be an object mapping property names to schemas, got array")]
    [TestCase("{'type':'object','properties':{'q':'string'}}", "inputSchema/properties/q: must be a schema (a JSON object, true or false), got string")]
    [TestCase("{'type':'object','additionalProperties':'no'}", "inputSchema/additionalProperties: must be true, false or a schema object, got string")]
    [TestCase("{'type':'object','required':['q'],'additionalProperties':false}",
        "inputSchema/required/0: 'q' is required but not declared in properties, and additionalProperties is false, so no call can pass; declare it")]
    [TestCase("{'type':'object','properties':{'x':{'type':'object','minProperties':'1'}}}",
        "inputSchema/properties/x/minProperties: must be a non-negative integer, got string")]
    [TestCase("{'type':'object','properties':{'x':{'type':'object','minProperties':3,'maxProperties':1}}}",
        "inputSchema/properties/x/minProperties: minProperties (3) is greater than maxProperties (1), so no value can pass")]
    public void Compile_BadObjectKeywords_AreRejectedWithPointer(string schema, string expected)
    {
        var errors = SchemaJson.CompileErrors(schema);

        Assert.That(errors, Is.EqualTo(new[] { expected }));
    }

    [TestCase("{'minLength':-1}", "inputSchema/properties/x/minLength: must be a non-negative integer, got -1")]
    [TestCase("{'maxLength':1.5}", "inputSchema/properties/x/maxLength: must be a non-negative integer, got 1.5")]
    [TestCase("{'maxLength':'10'}", "inputSchema/properties/x/maxLength: must be a non-negative integer, got string")]
    [TestCase("{'minLength':5,'maxLength':3}", "inputSchema/properties/x/minLength: minLength (5) is greater than maxLength (3), so no value can pass")]
    [TestCase("{'minItems':-2}", "inputSchema/properties/x/minItems: must be a non-negative integer, got -2")]
    [TestCase("{'minItems':4,'maxItems':2}", "inputSchema/properties/x/minItems: minItems (4) is greater than maxItems (2), so no value can pass")]
    [TestCase("{'maxItems':1e20}", "inputSchema/properties/x/maxItems: must be a non-negative integer, got 1e20")]
    [TestCase("{'minimum':'1'}", "inputSchema/properties/x/minimum: must be a number, got string")]
    [TestCase("{'minimum':10,'maximum':1}", "inputSchema/properties/x/minimum: minimum (10) leaves no room below maximum (1), so no value can pass")]
    [TestCase("{'exclusiveMinimum':1,'exclusiveMaximum':1}", "inputSchema/properties/x/exclusiveMinimum: exclusiveMinimum (1) leaves no room below exclusiveMaximum (1), so no value can pass")]
    [TestCase("{'exclusiveMinimum':true}",
        "inputSchema/properties/x/exclusiveMinimum: must be a number, got boolean (the draft-4 boolean form is not supported; put the bound itself here and remove it from minimum/maximum)")]
    [TestCase("{'multipleOf':0}", "inputSchema/properties/x/multipleOf: must be a number greater than 0, got 0")]
    [TestCase("{'multipleOf':-0.5}", "inputSchema/properties/x/multipleOf: must be a number greater than 0, got -0.5")]
    [TestCase("{'uniqueItems':'yes'}", "inputSchema/properties/x/uniqueItems: must be true or false, got string")]
    [TestCase("{'enum':[]}", "inputSchema/properties/x/enum: must list at least one allowed value; an empty enum rejects every call")]
    [TestCase("{'enum':'a'}", "inputSchema/properties/x/enum: must be an array of the allowed values, got string")]
    [TestCase("{'items':[{'type':'string'}]}",
        "inputSchema/properties/x/items: the array (tuple) form of items is not supported; give a single schema that every item must match")]
    [TestCase("{'items':'string'}", "inputSchema/properties/x/items: must be a schema (a JSON object, true or false), got string")]
    [TestCase("{'pattern':5}", "inputSchema/properties/x/pattern: must be a regular expression string, got number")]
    [TestCase("{'format':5}", "inputSchema/properties/x/format: must be a format name (a string), got number")]
    [TestCase("{'anyOf':[]}", "inputSchema/properties/x/anyOf: must be a non-empty array of schemas, got an empty array")]
    [TestCase("{'oneOf':{}}", "inputSchema/properties/x/oneOf: must be a non-empty array of schemas, got object")]
    [TestCase("{'allOf':[{'type':'strin'}]}",
        "inputSchema/properties/x/allOf/0/type: 'strin' is not a JSON Schema type; use one of string, number, integer, boolean, object, array, null")]
    public void Compile_BadValueKeywords_AreRejectedWithPointer(string propertySchema, string expected)
    {
        var errors = SchemaJson.CompileErrors($"{{'type':'object','properties':{{'x':{propertySchema}}}}}");

        Assert.That(errors, Is.EqualTo(new[] { expected }));
    }

    [Test]
    public void Compile_InvalidPattern_NamesThePatternAndTheProblem()
    {
        var errors = SchemaJson.CompileErrors("{'type':'object','properties':{'x':{'pattern':'[a-'}}}");

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0], Does.StartWith("inputSchema/properties/x/pattern: '[a-' is not a valid regular expression: "));
    }

    [TestCase("not", "{'not':{'type':'string'}}", "express the constraint positively")]
    [TestCase("if", "{'if':{'type':'string'}}", "instead of if/then/else")]
    [TestCase("then", "{'then':{'type':'string'}}", "instead of if/then/else")]
    [TestCase("else", "{'else':{'type':'string'}}", "instead of if/then/else")]
    [TestCase("patternProperties", "{'type':'object','patternProperties':{'^a':{}}}", "declare the properties by name")]
    [TestCase("dependentRequired", "{'type':'object','dependentRequired':{'a':['b']}}", "own required lists")]
    [TestCase("dependentSchemas", "{'type':'object','dependentSchemas':{'a':{}}}", "use oneOf/anyOf alternatives")]
    [TestCase("propertyNames", "{'type':'object','propertyNames':{'maxLength':3}}", "additionalProperties to false")]
    [TestCase("unevaluatedProperties", "{'type':'object','unevaluatedProperties':false}", "use additionalProperties")]
    [TestCase("prefixItems", "{'type':'array','prefixItems':[{}]}", "instead of a tuple")]
    [TestCase("contains", "{'type':'array','contains':{'type':'string'}}", "use items")]
    [TestCase("nullable", "{'type':'string','nullable':true}", "use \"type\": [\"string\", \"null\"]")]
    public void Compile_UnsupportedAssertionKeyword_IsReportedNotIgnored(string keyword, string propertySchema, string advice)
    {
        var errors = SchemaJson.CompileErrors($"{{'type':'object','properties':{{'x':{propertySchema}}}}}");

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0], Does.StartWith($"inputSchema/properties/x/{keyword}: '{keyword}' is not supported by the gateway's schema checker; "));
        Assert.That(errors[0], Does.Contain(advice));
    }

    [TestCase("requried", "did you mean 'required'?")]
    [TestCase("minLenght", "did you mean 'minLength'?")]
    [TestCase("additionalproperties", "did you mean 'additionalProperties'?")]
    [TestCase("descripton", "did you mean 'description'?")]
    [TestCase("foo", "remove it, or prefix vendor extensions with 'x-'")]
    public void Compile_UnknownKeyword_IsReportedWithASuggestion(string keyword, string advice)
    {
        var errors = SchemaJson.CompileErrors($"{{'type':'object','{keyword}':1}}");

        Assert.That(errors, Is.EqualTo(new[] { $"inputSchema/{keyword}: unknown keyword '{keyword}'; {advice}" }));
    }

    [TestCase("{'type':'integer','minimum':1,'maximum':50,'default':100}",
        "inputSchema/properties/x/default: the default must be at most 50, got 100; fix the default or the schema")]
    [TestCase("{'type':'string','enum':['a','b'],'default':'c'}",
        "inputSchema/properties/x/default: the default must be one of: a, b; fix the default or the schema")]
    [TestCase("{'type':'integer','default':'5'}",
        "inputSchema/properties/x/default: the default must be an integer, got string; fix the default or the schema")]
    public void Compile_DefaultThatViolatesItsSchema_IsRejected(string propertySchema, string expected)
    {
        var errors = SchemaJson.CompileErrors($"{{'type':'object','properties':{{'x':{propertySchema}}}}}");

        Assert.That(errors, Is.EqualTo(new[] { expected }));
    }

    [Test]
    public void Compile_SeveralProblems_ReportsEveryOne()
    {
        var errors = SchemaJson.CompileErrors(
            "{'type':'object','properties':{'a':{'type':'strng'},'b':{'minLength':-1},'c':{'$ref':'#/x'}},'required':'a'}");

        Assert.That(errors, Has.Count.EqualTo(4));
        Assert.That(errors, Has.Some.StartWith("inputSchema/properties/a/type:"));
        Assert.That(errors, Has.Some.StartWith("inputSchema/properties/b/minLength:"));
        Assert.That(errors, Has.Some.StartWith("inputSchema/properties/c/$ref:"));
        Assert.That(errors, Has.Some.StartWith("inputSchema/required:"));
    }

    [Test]
    public void Compile_PropertyNameWithSlash_IsEscapedInThePointer()
    {
        var errors = SchemaJson.CompileErrors("{'type':'object','properties':{'a/b~c':{'type':'nope'}}}");

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0], Does.StartWith("inputSchema/properties/a~1b~0c/type:"));
    }

    [TestCase("{'type':'object','properties':{'\\ud800':{}}}")]
    [TestCase("{'type':'object','properties':{'x':{'enum':['\\udc00']}}}")]
    [TestCase("{'type':'object','properties':{'x':{'type':'\\ud800'}}}")]
    public void Compile_LoneSurrogateEscape_IsReportedNotThrown(string schema)
    {
        var errors = SchemaJson.CompileErrors(schema);

        Assert.That(errors, Is.EqualTo(new[] { "inputSchema: contains a string with an invalid \\uD800-\\uDFFF escape (a lone surrogate); fix the text" }));
    }

    [Test]
    public void Compile_DuplicateKeyword_IsRejected()
    {
        var errors = SchemaJson.CompileErrors("{'type':'object','properties':{'x':{'type':'string','type':'integer'}}}");

        Assert.That(errors, Is.EqualTo(new[] { "inputSchema/properties/x/type: keyword 'type' appears more than once in the same schema; keep one" }));
    }

    [Test]
    public void Compile_OutputSchema_UsesOutputSchemaInPointers()
    {
        ToolSchema.Compile(SchemaJson.Parse("{'type':'array'}"), ToolSchemaRole.Output, out var errors);

        Assert.That(errors, Is.EqualTo(new[] { "outputSchema/type: MCP requires outputSchema to be \"object\", got an array" }));
    }

    [Test]
    public void Compile_MissingSchema_IsRejected()
    {
        ToolSchema.Compile(default, out var errors);

        Assert.That(errors, Is.EqualTo(new[] { "inputSchema: must be a JSON Schema object with \"type\": \"object\", got nothing" }));
    }

    [TestCase(SchemaCompiler.MaxDepth + 5)]
    [TestCase(60)]
    public void Compile_DeeplyNestedSchema_ReportsDepthInsteadOfOverflowing(int levels)
    {
        string schema = "{'type':'object'}";
        for (int i = 0; i < levels; i++)
        {
            schema = $"{{'type':'object','properties':{{'n':{schema}}}}}";
        }
        using var document = JsonDocument.Parse(schema.Replace('\'', '"'), new JsonDocumentOptions { MaxDepth = 4 * levels });

        ToolSchema.Compile(document.RootElement, out var errors);

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0], Does.EndWith($"schema is nested more than {SchemaCompiler.MaxDepth} levels deep; flatten it"));
    }

    [Test]
    public void Compile_NestingDeeperThanTheJsonParserAllows_ReportsDepthInsteadOfOverflowing()
    {
        const int levels = 5000;
        string schema = string.Concat(Enumerable.Repeat("{\"anyOf\":[", levels)) + "{}" + string.Concat(Enumerable.Repeat("]}", levels));
        using var document = JsonDocument.Parse(schema, new JsonDocumentOptions { MaxDepth = 2 * levels + 10 });

        ToolSchema.Compile(document.RootElement, out var errors);

        Assert.That(errors, Has.Some.EndWith("flatten it"));
    }

    [Test]
    public void Compile_WithErrors_ReturnsASchemaThatRejectsEveryCall()
    {
        var schema = ToolSchema.Compile(SchemaJson.Parse("{'type':'object','properties':{'x':{'type':'integr'}}}"), out _);

        var result = schema.Validate(SchemaJson.Parse("{}"));

        Assert.That(result.IsValid, Is.False);
        Assert.That(schema.ConfigErrors, Has.Count.EqualTo(1));
        Assert.That(result.Errors.Single().Message, Does.Contain("misconfigured in the gateway"));
    }

    [Test]
    public void Source_IsAnIndependentCopyOfTheDeclaredSchema()
    {
        ToolSchema schema;
        using (var document = JsonDocument.Parse(RealisticToolSchemas.SemanticSearch))
        {
            schema = ToolSchema.Compile(document.RootElement, out _);
        }

        Assert.That(schema.Source.GetProperty("required")[0].GetString(), Is.EqualTo("query"));
    }
}
