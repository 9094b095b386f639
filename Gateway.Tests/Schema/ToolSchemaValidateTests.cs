using System.Text.Json;
using Gateway.Transforms.Schema;

namespace Gateway.Tests.Schema;

/// <summary>Call-time behaviour on realistic tools: what is accepted, and that errors name the argument and the fix.</summary>
public sealed class ToolSchemaValidateTests
{
    private static readonly ToolSchema SemanticSearch = Compile(RealisticToolSchemas.SemanticSearch);
    private static readonly ToolSchema GraphQuery = Compile(RealisticToolSchemas.GraphQuery);

    [TestCase("{'query':'vector databases'}")]
    [TestCase("{'query':'x','top_k':1}")]
    [TestCase("{'query':'x','top_k':50}")]
    [TestCase("{'query':'x','top_k':5.0}")]
    [TestCase("{'query':'x','collection':'tickets'}")]
    [TestCase("{'query':'x','filters':{}}")]
    [TestCase("{'query':'x','filters':{'lang':'en','year':2024,'tags':['a','b']}}")]
    public void Validate_SemanticSearch_AcceptsGoodArguments(string arguments)
    {
        var result = SemanticSearch.Validate(SchemaJson.Parse(arguments));

        Assert.That(result.IsValid, Is.True, () => result.ToString());
    }

    [TestCase("{}", "$.query", "missing required argument 'query'")]
    [TestCase("{'query':'x','top_k':'5'}", "$.top_k", "argument 'top_k' must be an integer, got string")]
    [TestCase("{'query':'x','top_k':2.5}", "$.top_k", "argument 'top_k' must be an integer, got number 2.5")]
    [TestCase("{'query':'x','top_k':0}", "$.top_k", "argument 'top_k' must be at least 1, got 0")]
    [TestCase("{'query':'x','top_k':51}", "$.top_k", "argument 'top_k' must be at most 50, got 51")]
    [TestCase("{'query':''}", "$.query", "argument 'query' must be at least 1 character long, got 0")]
    [TestCase("{'query':'x','colour':'red'}", "$.colour", "unknown argument 'colour' (allowed: query, top_k, collection, filters)")]
    [TestCase("{'query':'x','collection':'mail'}", "$.collection", "argument 'collection' must be one of: docs, tickets, code")]
    [TestCase("{'query':'x','filters':[]}", "$.filters", "argument 'filters' must be an object, got array")]
    [TestCase("{'query':'x','filters':{'lang':'eng'}}", "$.filters.lang", "argument 'filters.lang' must match the pattern ^[a-z]{2}$")]
    [TestCase("{'query':'x','filters':{'year':'2024'}}", "$.filters.year", "argument 'filters.year' must be an integer, got string")]
    [TestCase("{'query':'x','filters':{'author':'me'}}", "$.filters.author", "unknown argument 'filters.author' (allowed: lang, year, tags)")]
    [TestCase("{'query':'x','filters':{'tags':['a',7]}}", "$.filters.tags[1]", "argument 'filters.tags[1]' must be a string, got number 7")]
    [TestCase("{'query':'x','filters':{'tags':['a','a']}}", "$.filters.tags", "argument 'filters.tags' must not contain duplicates, but items 0 and 1 are equal")]
    [TestCase("{'query':'x','filters':{'tags':['a','b','c','d','e','f']}}", "$.filters.tags", "argument 'filters.tags' must have at most 5 items, got 6")]
    [TestCase("[]", "$", "arguments must be an object, got array")]
    [TestCase("'search'", "$", "arguments must be an object, got string")]
    [TestCase("{'query':'x','my key':1}", "$['my key']", "unknown argument 'my key' (allowed: query, top_k, collection, filters)")]
    public void Validate_SemanticSearch_RejectsWithAMessageNamingTheArgument(string arguments, string path, string message)
    {
        var result = SemanticSearch.Validate(SchemaJson.Parse(arguments));

        Assert.That(result.IsValid, Is.False);
        Assert.That(result.Errors, Is.EqualTo(new[] { new SchemaError(path, message) }));
    }

    [TestCase("{'query':'MATCH (n) RETURN n'}", true)]
    [TestCase("{'query':'MATCH (n) RETURN n','params':{'id':1,'names':['a']}}", true)]
    [TestCase("{'query':'MATCH (n) RETURN n','unexpected':true}", true)]
    [TestCase("{'query':'q','timeout_ms':1}", true)]
    [TestCase("{'query':'q','timeout_ms':0}", false)]
    [TestCase("{'query':'q','format':'graph'}", true)]
    [TestCase("{'query':'q','format':'json'}", false)]
    [TestCase("{'query':'q','params':'id=1'}", false)]
    [TestCase("{'params':{}}", false)]
    public void Validate_GraphQuery_AcceptsOnlyGoodArguments(string arguments, bool expectedValid)
    {
        var result = GraphQuery.Validate(SchemaJson.Parse(arguments));

        Assert.That(result.IsValid, Is.EqualTo(expectedValid), () => result.ToString());
    }

    [Test]
    public void Validate_GraphQueryFormatMatchingNoAlternative_ListsTheAlternatives()
    {
        var result = GraphQuery.Validate(SchemaJson.Parse("{'query':'q','format':'json'}"));

        Assert.That(result.Errors.Single().Message, Is.EqualTo("argument 'format' does not match any of the allowed forms: 'table'; 'graph'"));
    }

    [TestCase(JsonValueKind.Undefined)]
    [TestCase(JsonValueKind.Null)]
    public void Validate_AbsentArguments_AreTreatedAsEmptyObject(JsonValueKind kind)
    {
        var absent = kind == JsonValueKind.Null ? SchemaJson.Parse("null") : default;

        var withRequired = SemanticSearch.Validate(absent);
        var withoutRequired = SchemaJson.CompileValid("{'type':'object','properties':{'verbose':{'type':'boolean'}}}").Validate(absent);

        Assert.That(withRequired.Errors, Is.EqualTo(new[] { new SchemaError("$.query", "missing required argument 'query'") }));
        Assert.That(withoutRequired.IsValid, Is.True);
    }

    [Test]
    public void Validate_SeveralProblems_ReportsEachInDocumentOrder()
    {
        var result = SemanticSearch.Validate(SchemaJson.Parse("{'top_k':'5','colour':'red'}"));

        Assert.That(result.Errors.Select(error => error.Message), Is.EqualTo(new[]
        {
            "missing required argument 'query'",
            "argument 'top_k' must be an integer, got string",
            "unknown argument 'colour' (allowed: query, top_k, collection, filters)",
        }));
    }

    [Test]
    public void Validate_ManyProblems_StopsAtTheErrorLimit()
    {
        var schema = SchemaJson.CompileValid("{'type':'object','additionalProperties':false}");
        var arguments = "{" + string.Join(",", Enumerable.Range(0, 100).Select(i => $"\"a{i}\":{i}")) + "}";

        var result = schema.Validate(SchemaJson.Parse(arguments));

        Assert.That(result.Errors, Has.Count.EqualTo(ToolSchema.MaxReportedErrors));
        Assert.That(result.Errors[0].Message, Is.EqualTo("unknown argument 'a0' (none are allowed)"));
    }

    [Test]
    public void Validate_AnyOfWithOneAlternativeOfTheRightType_ReportsThatAlternativesError()
    {
        var schema = SchemaJson.CompileProperty("{'anyOf':[{'type':'string','maxLength':3},{'type':'integer'}]}");

        var result = SchemaJson.ValidateProperty(schema, "'abcd'");

        Assert.That(result.Errors.Single().Message, Is.EqualTo("argument 'x' must be at most 3 characters long, got 4"));
    }

    [Test]
    public void Validate_ValueMatchingTwoOneOfAlternatives_SaysWhich()
    {
        var schema = SchemaJson.CompileProperty("{'oneOf':[{'type':'integer'},{'minimum':0}]}");

        var result = SchemaJson.ValidateProperty(schema, "3");

        Assert.That(result.Errors.Single().Message, Is.EqualTo(
            "argument 'x' matches more than one allowed form (alternatives 1 and 2 of the oneOf); send a value that fits exactly one"));
    }

    [Test]
    public void Validate_FalseSubschema_SaysTheArgumentIsNotAllowed()
    {
        var schema = SchemaJson.CompileValid("{'type':'object','properties':{'legacy':false}}");

        var result = schema.Validate(SchemaJson.Parse("{'legacy':1}"));

        Assert.That(result.Errors.Single(), Is.EqualTo(new SchemaError("$.legacy", "argument 'legacy' is not allowed")));
    }

    [Test]
    public void Validate_ConstMismatch_SaysTheExpectedValue()
    {
        var schema = SchemaJson.CompileProperty("{'const':'v2'}");

        var result = SchemaJson.ValidateProperty(schema, "'v1'");

        Assert.That(result.Errors.Single().Message, Is.EqualTo("argument 'x' must be exactly 'v2'"));
    }

    [Test]
    public void Validate_OutputSchema_NamesFieldsAndStructuredContent()
    {
        var schema = ToolSchema.Compile(SchemaJson.Parse("{'type':'object','properties':{'count':{'type':'integer'}},'required':['count']}"),
            ToolSchemaRole.Output, out _);

        var missing = schema.Validate(SchemaJson.Parse("{}"));
        var wrongShape = schema.Validate(SchemaJson.Parse("null"));
        var absent = schema.Validate(default);

        Assert.That(missing.Errors.Single().Message, Is.EqualTo("missing required field 'count'"));
        Assert.That(wrongShape.Errors.Single().Message, Is.EqualTo("structuredContent must be an object, got null"));
        Assert.That(absent.Errors.Single().Message, Is.EqualTo("structuredContent must be an object, got nothing"));
    }

    [Test]
    public void Validate_SuccessfulCall_AllocatesNothing()
    {
        var arguments = SchemaJson.Parse(
            "{'query':'caf\\u00e9 vector search','top_k':10,'collection':'code','filters':{'lang':'en','year':2020,'tags':['a','b','c']}}");
        var graphArguments = SchemaJson.Parse("{'query':'MATCH (n) RETURN n','format':'graph','params':{'id':1}}");
        SemanticSearch.Validate(arguments);
        GraphQuery.Validate(graphArguments);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var first = SemanticSearch.Validate(arguments);
        var second = GraphQuery.Validate(graphArguments);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(first.IsValid && second.IsValid, Is.True);
        Assert.That(allocated, Is.Zero);
    }

    [Test]
    public void Validate_FromManyThreads_GivesTheSameAnswers()
    {
        var good = SchemaJson.Parse("{'query':'x','top_k':3}");
        var bad = SchemaJson.Parse("{'query':'x','top_k':300}");

        var results = Enumerable.Range(0, 2000).AsParallel()
            .Select(i => i % 2 == 0 ? SemanticSearch.Validate(good).IsValid : !SemanticSearch.Validate(bad).IsValid)
            .ToList();

        Assert.That(results, Has.All.True);
    }

    [Test, CancelAfter(10_000)]
    public void Validate_CatastrophicBacktrackingPattern_FinishesWithAnError()
    {
        var schema = SchemaJson.CompileProperty("{'type':'string','pattern':'^(a+)+\\\\1$'}");

        var result = SchemaJson.ValidateProperty(schema, "'" + new string('a', 5000) + "b'");

        Assert.That(result.IsValid, Is.False);
    }

    [Test, CancelAfter(10_000)]
    public void Validate_LongArrayWithUniqueItems_Finishes()
    {
        var schema = SchemaJson.CompileProperty("{'type':'array','uniqueItems':true}");
        string items = string.Join(",", Enumerable.Range(0, 50_000));

        var unique = SchemaJson.ValidateProperty(schema, $"[{items}]");
        var duplicated = SchemaJson.ValidateProperty(schema, $"[{items},49999.0]");

        Assert.That(unique.IsValid, Is.True);
        Assert.That(duplicated.Errors.Single().Message, Is.EqualTo("argument 'x' must not contain duplicates, but items 49999 and 50000 are equal"));
    }

    [Test]
    public void Validate_DeeplyNestedArgumentsUnderAnOpenSchema_AreNotWalked()
    {
        const int levels = 10_000;
        string deep = string.Concat(Enumerable.Repeat("[", levels)) + string.Concat(Enumerable.Repeat("]", levels));
        using var document = JsonDocument.Parse($"{{\"query\":\"q\",\"params\":{{\"p\":{deep}}}}}", new JsonDocumentOptions { MaxDepth = levels + 10 });

        var result = GraphQuery.Validate(document.RootElement);

        Assert.That(result.IsValid, Is.True);
    }

    [Test]
    public void Validate_DeeplyNestedValuesInAnEnumComparison_DoNotOverflow()
    {
        const int levels = 10_000;
        string deep = string.Concat(Enumerable.Repeat("[", levels)) + string.Concat(Enumerable.Repeat("]", levels));
        var schema = SchemaJson.CompileProperty("{'enum':[[[[1]]]], 'uniqueItems':true}");
        using var document = JsonDocument.Parse($"{{\"x\":[{deep},{deep}]}}", new JsonDocumentOptions { MaxDepth = levels + 10 });

        var result = schema.Validate(document.RootElement);

        Assert.That(result.IsValid, Is.False);
    }

    [TestCase("{'type':'string','pattern':'^a'}")]
    [TestCase("{'enum':['a\\u00e9']}")]
    [TestCase("{'type':'array','items':{'enum':['x']}}")]
    [TestCase("{'type':'object','additionalProperties':false}")]
    public void Validate_LoneSurrogateEscapes_AreRejectedWithoutThrowing(string propertySchema)
    {
        var schema = SchemaJson.CompileProperty(propertySchema);
        var value = propertySchema.Contains("array") ? "['\\ud800']" : propertySchema.Contains("object") ? "{'\\ud800':1}" : "'\\ud800'";

        var result = SchemaJson.ValidateProperty(schema, value);

        Assert.That(result.IsValid, Is.False);
    }

    [Test]
    public void Validate_LongArrayWithDuplicateObjectsInAnotherKeyOrder_IsRejected()
    {
        var schema = SchemaJson.CompileProperty("{'type':'array','uniqueItems':true}");
        var items = Enumerable.Range(0, 40).Select(i => $"{{'id':{i},'name':'n\\u00e9{i}'}}").Append("{'name':'n\u00e95','id':5.0}");

        var result = SchemaJson.ValidateProperty(schema, "[" + string.Join(",", items) + "]");

        Assert.That(result.Errors.Single().Message, Is.EqualTo("argument 'x' must not contain duplicates, but items 5 and 40 are equal"));
    }

    private static ToolSchema Compile(string schema)
    {
        using var document = JsonDocument.Parse(schema);
        var compiled = ToolSchema.Compile(document.RootElement, out var errors);
        Assert.That(errors, Is.Empty);
        return compiled;
    }
}
