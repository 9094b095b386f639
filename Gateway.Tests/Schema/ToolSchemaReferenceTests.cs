using System.Diagnostics;
using System.Text;
using Gateway.Transforms.Schema;

namespace Gateway.Tests.Schema;

/// <summary>
/// Local <c>$ref</c> (into <c>$defs</c>, <c>definitions</c> or any subschema of the same document) is enforced where it
/// is used; what the checker cannot resolve exactly (remote, anchor, recursive, under a nested <c>$id</c>) is an error.
/// </summary>
public sealed class ToolSchemaReferenceTests
{
    // The shape of SEP-1613's example and of schemas generated from typed models (pydantic, zod-to-json-schema).
    private const string WithAddress = """
        {'$schema':'https://json-schema.org/draft/2020-12/schema','type':'object',
         '$defs':{'address':{'type':'object','properties':{'street':{'type':'string'},'city':{'type':'string','minLength':1}},'required':['city'],'additionalProperties':false}},
         'properties':{'name':{'type':'string'},'address':{'$ref':'#/$defs/address'},'previous':{'type':'array','items':{'$ref':'#/$defs/address'}}},
         'additionalProperties':false}
        """;

    [TestCase("{'name':'Ada','address':{'city':'London','street':'Baker St'}}")]
    [TestCase("{'previous':[{'city':'Paris'},{'city':'Rome'}]}")]
    public void Validate_ArgumentsThatMatchTheReferencedSchema_AreAccepted(string arguments)
    {
        var result = SchemaJson.CompileValid(WithAddress).Validate(SchemaJson.Parse(arguments));

        Assert.That(result.IsValid, Is.True, () => result.ToString());
    }

    [TestCase("{'address':{'street':'Baker St'}}", "missing required argument 'address.city'")]
    [TestCase("{'address':{'city':''}}", "argument 'address.city' must be at least 1 character long, got 0")]
    [TestCase("{'address':{'city':'London','zip':'NW1'}}", "unknown argument 'address.zip'")]
    [TestCase("{'address':'London'}", "argument 'address' must be an object, got string")]
    [TestCase("{'previous':[{'city':7}]}", "argument 'previous[0].city' must be a string, got number 7")]
    public void Validate_ArgumentsThatBreakTheReferencedSchema_AreRefusedNamingTheArgument(string arguments, string expected)
    {
        var result = SchemaJson.CompileValid(WithAddress).Validate(SchemaJson.Parse(arguments));

        Assert.That(result.IsValid, Is.False);
        Assert.That(result.ToString(), Does.Contain(expected));
    }

    [Test]
    public void Validate_RefBesideOtherKeywords_EnforcesBoth()
    {
        var schema = SchemaJson.CompileValid("{'type':'object','$defs':{'short':{'type':'string','maxLength':3}},'properties':{'x':{'$ref':'#/$defs/short','pattern':'^[a-z]+$'}}}");

        Assert.Multiple(() =>
        {
            Assert.That(SchemaJson.ValidateProperty(schema, "'abc'").IsValid, Is.True);
            Assert.That(SchemaJson.ValidateProperty(schema, "'abcd'").IsValid, Is.False, "the target's maxLength");
            Assert.That(SchemaJson.ValidateProperty(schema, "'AB'").IsValid, Is.False, "the sibling pattern");
        });
    }

    [Test]
    public void Validate_PointerWithEscapes_AndDefinitions_Resolve()
    {
        var schema = SchemaJson.CompileValid("""
            {'type':'object','definitions':{'a/b':{'type':'integer'},'c~d':{'type':'boolean'},'e f':{'type':'string'}},
             'properties':{'x':{'$ref':'#/definitions/a~1b'},'y':{'$ref':'#/definitions/c~0d'},'z':{'$ref':'#/definitions/e%20f'}}}
            """);

        Assert.Multiple(() =>
        {
            Assert.That(schema.Validate(SchemaJson.Parse("{'x':1,'y':true,'z':'s'}")).IsValid, Is.True);
            Assert.That(schema.Validate(SchemaJson.Parse("{'x':'1'}")).IsValid, Is.False);
            Assert.That(schema.Validate(SchemaJson.Parse("{'y':1}")).IsValid, Is.False);
            Assert.That(schema.Validate(SchemaJson.Parse("{'z':1}")).IsValid, Is.False);
        });
    }

    [TestCase("{'$ref':'https://example.com/schemas/address.json'}", "only references into this schema")]
    [TestCase("{'$ref':'address.json#/$defs/a'}", "only references into this schema")]
    [TestCase("{'$ref':'#address'}", "only references into this schema")]
    [TestCase("{'$ref':'#/$defs/missing'}", "points to nothing in this schema")]
    [TestCase("{'$ref':'#/properties/x/items/5'}", "points to nothing in this schema")]
    [TestCase("{'$ref':7}", "must be a reference")]
    public void Compile_ReferenceItCannotResolve_IsAnErrorAtTheRef(string propertySchema, string expected)
    {
        var errors = SchemaJson.CompileErrors($"{{'type':'object','properties':{{'x':{propertySchema}}}}}");

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0], Does.StartWith("inputSchema/properties/x/$ref: "));
        Assert.That(errors[0], Does.Contain(expected));
    }

    [TestCase("{'type':'object','$defs':{'node':{'type':'object','properties':{'next':{'$ref':'#/$defs/node'}}}},'properties':{'list':{'$ref':'#/$defs/node'}}}")]
    [TestCase("{'type':'object','$defs':{'a':{'$ref':'#/$defs/b'},'b':{'$ref':'#/$defs/%61'}},'properties':{'x':{'$ref':'#/$defs/a'}}}")]
    [TestCase("{'type':'object','properties':{'x':{'$ref':'#'}}}")]
    public void Compile_RecursiveReference_IsAnError_NotALoop(string schema)
    {
        var errors = SchemaJson.CompileErrors(schema);

        Assert.That(errors, Has.Some.Contains("refers to itself (a recursive schema)"), string.Join("\n", errors));
    }

    [Test]
    public void Compile_ReferenceUnderANestedId_IsAnError()
    {
        var errors = SchemaJson.CompileErrors("{'type':'object','$defs':{'a':{'$id':'https://example.com/a','type':'string'}},'properties':{'x':{'$ref':'#/$defs/a'}}}");

        Assert.That(errors, Has.Exactly(1).Contains("a subschema declares its own '$id'"));
    }

    [Test]
    public void Compile_ErrorInsideATarget_IsReportedOnceAtTheTargetsPointer()
    {
        var errors = SchemaJson.CompileErrors("{'type':'object','$defs':{'a':{'type':'strng'}},'properties':{'x':{'$ref':'#/$defs/a'},'y':{'$ref':'#/$defs/a'}}}");

        Assert.That(errors, Is.EqualTo(new[] { "inputSchema/$defs/a/type: 'strng' is not a JSON Schema type; use one of string, number, integer, boolean, object, array, null" }));
    }

    [Test]
    public void Compile_DefinitionsUsedManyTimesOver_CompileEachOnce()
    {
        // Each level uses the next ten times: 10^6 compilations of the last one without memoised targets.
        const int levels = 6;
        var defs = new StringBuilder();
        for (var i = 0; i < levels; i++)
        {
            var uses = string.Join(",", Enumerable.Range(0, 10).Select(p => $"'p{p}':{{'$ref':'#/$defs/d{i + 1}'}}"));
            defs.Append($"'d{i}':{{'type':'object','properties':{{{uses}}}}},");
        }

        defs.Append($"'d{levels}':{{'type':'string','maxLength':2}}");
        var stopwatch = Stopwatch.StartNew();

        var schema = SchemaJson.CompileValid($"{{'type':'object','$defs':{{{defs}}},'properties':{{'x':{{'$ref':'#/$defs/d0'}}}}}}");

        Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)));
        Assert.That(schema.Validate(SchemaJson.Parse("{'x':{'p3':{'p1':{'p0':{'p9':{'p2':{'p5':'long'}}}}}}}")).ToString(),
            Does.Contain("argument 'x.p3.p1.p0.p9.p2.p5' must be at most 2 characters long"));
    }
}
