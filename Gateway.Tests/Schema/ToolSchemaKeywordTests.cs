namespace Gateway.Tests.Schema;

/// <summary>Accept/reject tables per keyword, on a single argument 'x'.</summary>
public sealed class ToolSchemaKeywordTests
{
    [TestCase("{'type':'string'}", "'a'", true)]
    [TestCase("{'type':'string'}", "''", true)]
    [TestCase("{'type':'string'}", "1", false)]
    [TestCase("{'type':'string'}", "null", false)]
    [TestCase("{'type':'number'}", "1.5", true)]
    [TestCase("{'type':'number'}", "-3", true)]
    [TestCase("{'type':'number'}", "'1'", false)]
    [TestCase("{'type':'integer'}", "1", true)]
    [TestCase("{'type':'integer'}", "1.0", true)]
    [TestCase("{'type':'integer'}", "-0", true)]
    [TestCase("{'type':'integer'}", "1e2", true)]
    [TestCase("{'type':'integer'}", "1e400", true)]
    [TestCase("{'type':'integer'}", "1.5", false)]
    [TestCase("{'type':'integer'}", "1e-30", false)]
    [TestCase("{'type':'integer'}", "9007199254740993.5", false)]
    [TestCase("{'type':'integer'}", "'1'", false)]
    [TestCase("{'type':'integer'}", "true", false)]
    [TestCase("{'type':'boolean'}", "false", true)]
    [TestCase("{'type':'boolean'}", "0", false)]
    [TestCase("{'type':'null'}", "null", true)]
    [TestCase("{'type':'null'}", "0", false)]
    [TestCase("{'type':'object'}", "{}", true)]
    [TestCase("{'type':'object'}", "[]", false)]
    [TestCase("{'type':'array'}", "[]", true)]
    [TestCase("{'type':'array'}", "{}", false)]
    [TestCase("{'type':['string','null']}", "null", true)]
    [TestCase("{'type':['string','null']}", "'a'", true)]
    [TestCase("{'type':['string','null']}", "1", false)]
    [TestCase("{'type':['integer','string']}", "2.5", false)]
    [TestCase("{'type':['number','integer']}", "2.5", true)]
    [TestCase("true", "{'any':1}", true)]
    [TestCase("{}", "[1]", true)]
    [TestCase("false", "1", false)]
    public void Validate_Type(string propertySchema, string value, bool expectedValid) =>
        AssertValidity(propertySchema, value, expectedValid);

    [TestCase("{'enum':['fast','exact']}", "'fast'", true)]
    [TestCase("{'enum':['fast','exact']}", "'slow'", false)]
    [TestCase("{'enum':['fast','exact']}", "'FAST'", false)]
    [TestCase("{'enum':['caf\\u00e9']}", "'café'", true)]
    [TestCase("{'enum':[1,2,3]}", "2.0", true)]
    [TestCase("{'enum':[1,2,3]}", "'2'", false)]
    [TestCase("{'enum':[null,true]}", "null", true)]
    [TestCase("{'enum':[null,true]}", "false", false)]
    [TestCase("{'enum':[{'a':1,'b':[1,2]}]}", "{'b':[1,2],'a':1.0}", true)]
    [TestCase("{'enum':[{'a':1,'b':[1,2]}]}", "{'b':[2,1],'a':1}", false)]
    [TestCase("{'enum':[{'a':1}]}", "{'a':1,'c':2}", false)]
    [TestCase("{'enum':[[1,2]]}", "[1,2,3]", false)]
    [TestCase("{'const':'table'}", "'table'", true)]
    [TestCase("{'const':'table'}", "'graph'", false)]
    [TestCase("{'const':0}", "0.0", true)]
    [TestCase("{'const':0}", "false", false)]
    public void Validate_EnumAndConst(string propertySchema, string value, bool expectedValid) =>
        AssertValidity(propertySchema, value, expectedValid);

    [TestCase("{'minLength':2}", "'ab'", true)]
    [TestCase("{'minLength':2}", "'a'", false)]
    [TestCase("{'maxLength':3}", "'abc'", true)]
    [TestCase("{'maxLength':3}", "'abcd'", false)]
    [TestCase("{'maxLength':3}", "'日本語'", true)]
    [TestCase("{'maxLength':1}", "'😀'", true)]
    [TestCase("{'maxLength':1}", "'\\ud83d\\ude00'", true)]
    [TestCase("{'maxLength':1}", "'\\u0041\\u0042'", false)]
    [TestCase("{'maxLength':1}", "'\\n'", true)]
    [TestCase("{'maxLength':1}", "'\\ud83d'", true)]
    [TestCase("{'maxLength':2}", "'\\ud83d\\u0041'", true)]
    [TestCase("{'minLength':3}", "'a\\\\b'", true)]
    [TestCase("{'maxLength':2}", "'a\\\\b'", false)]
    [TestCase("{'minLength':1}", "5", true)]
    [TestCase("{'pattern':'^[a-z]{2}$'}", "'en'", true)]
    [TestCase("{'pattern':'^[a-z]{2}$'}", "'eng'", false)]
    [TestCase("{'pattern':'[0-9]'}", "'abc1def'", true)]
    [TestCase("{'pattern':'[0-9]'}", "'abcdef'", false)]
    [TestCase("{'pattern':'^\\\\w+$'}", "'naïve'", true)]
    [TestCase("{'pattern':'^a\\\\/b$'}", "'a\\/b'", true)]
    [TestCase("{'pattern':'(ab)\\\\1'}", "'xabab'", true)]
    [TestCase("{'pattern':'(ab)\\\\1'}", "'xab'", false)]
    [TestCase("{'pattern':'^x'}", "42", true)]
    public void Validate_StringKeywords(string propertySchema, string value, bool expectedValid) =>
        AssertValidity(propertySchema, value, expectedValid);

    [TestCase("{'minimum':1}", "1", true)]
    [TestCase("{'minimum':1}", "0.999", false)]
    [TestCase("{'maximum':50}", "50", true)]
    [TestCase("{'maximum':50}", "50.0001", false)]
    [TestCase("{'exclusiveMinimum':0}", "0", false)]
    [TestCase("{'exclusiveMinimum':0}", "1e-30", true)]
    [TestCase("{'exclusiveMaximum':1}", "1.0", false)]
    [TestCase("{'exclusiveMaximum':1}", "0.99", true)]
    [TestCase("{'maximum':9007199254740992}", "9007199254740993", false)]
    [TestCase("{'minimum':0}", "-1e400", false)]
    [TestCase("{'maximum':0}", "1e400", false)]
    [TestCase("{'multipleOf':0.1}", "0.3", true)]
    [TestCase("{'multipleOf':0.1}", "0.35", false)]
    [TestCase("{'multipleOf':5}", "25", true)]
    [TestCase("{'multipleOf':5}", "26", false)]
    [TestCase("{'multipleOf':1e-40}", "1", true)]
    [TestCase("{'minimum':1}", "'0'", true)]
    public void Validate_NumberKeywords(string propertySchema, string value, bool expectedValid) =>
        AssertValidity(propertySchema, value, expectedValid);

    [TestCase("{'items':{'type':'string'}}", "['a','b']", true)]
    [TestCase("{'items':{'type':'string'}}", "['a',1]", false)]
    [TestCase("{'items':{'type':'string'}}", "[]", true)]
    [TestCase("{'items':false}", "[]", true)]
    [TestCase("{'items':false}", "[1]", false)]
    [TestCase("{'minItems':1}", "[]", false)]
    [TestCase("{'minItems':1}", "[0]", true)]
    [TestCase("{'maxItems':2}", "[1,2,3]", false)]
    [TestCase("{'maxItems':2}", "[1,2]", true)]
    [TestCase("{'uniqueItems':true}", "[1,2,3]", true)]
    [TestCase("{'uniqueItems':true}", "[1,2,1.0]", false)]
    [TestCase("{'uniqueItems':true}", "['a','\\u0061']", false)]
    [TestCase("{'uniqueItems':true}", "[{'a':1,'b':2},{'b':2,'a':1}]", false)]
    [TestCase("{'uniqueItems':true}", "[[1],[1,1]]", true)]
    [TestCase("{'uniqueItems':true}", "[true,1,'1',null]", true)]
    [TestCase("{'uniqueItems':false}", "[1,1]", true)]
    [TestCase("{'items':{'type':'array','items':{'type':'integer'}}}", "[[1,2],[3]]", true)]
    [TestCase("{'items':{'type':'array','items':{'type':'integer'}}}", "[[1,2],[3.5]]", false)]
    public void Validate_ArrayKeywords(string propertySchema, string value, bool expectedValid) =>
        AssertValidity(propertySchema, value, expectedValid);

    [TestCase("{'properties':{'a':{'type':'string'}}}", "{'a':'x'}", true)]
    [TestCase("{'properties':{'a':{'type':'string'}}}", "{'a':1}", false)]
    [TestCase("{'properties':{'a':{'type':'string'}}}", "{'b':1}", true)]
    [TestCase("{'properties':{'a':{}},'additionalProperties':false}", "{'a':1}", true)]
    [TestCase("{'properties':{'a':{}},'additionalProperties':false}", "{'a':1,'b':2}", false)]
    [TestCase("{'properties':{'a':{}},'additionalProperties':{'type':'integer'}}", "{'a':'s','b':2}", true)]
    [TestCase("{'properties':{'a':{}},'additionalProperties':{'type':'integer'}}", "{'a':'s','b':'t'}", false)]
    [TestCase("{'required':['a']}", "{'a':null}", true)]
    [TestCase("{'required':['a']}", "{}", false)]
    [TestCase("{'required':['a\\u00e9']}", "{'a\\u00e9':1}", true)]
    [TestCase("{'required':['a']}", "'not an object'", true)]
    [TestCase("{'minProperties':1}", "{}", false)]
    [TestCase("{'maxProperties':1}", "{'a':1,'b':2}", false)]
    [TestCase("{'maxProperties':1}", "{'a':1}", true)]
    [TestCase("{'properties':{'a':{'properties':{'b':{'type':'integer'}}}}}", "{'a':{'b':1}}", true)]
    [TestCase("{'properties':{'a':{'properties':{'b':{'type':'integer'}}}}}", "{'a':{'b':'1'}}", false)]
    public void Validate_ObjectKeywords(string propertySchema, string value, bool expectedValid) =>
        AssertValidity(propertySchema, value, expectedValid);

    [TestCase("{'anyOf':[{'type':'string'},{'type':'integer'}]}", "'a'", true)]
    [TestCase("{'anyOf':[{'type':'string'},{'type':'integer'}]}", "3", true)]
    [TestCase("{'anyOf':[{'type':'string'},{'type':'integer'}]}", "3.5", false)]
    [TestCase("{'anyOf':[{'type':'integer','maximum':5},{'type':'integer','minimum':10}]}", "7", false)]
    [TestCase("{'oneOf':[{'type':'integer'},{'type':'number'}]}", "1.5", true)]
    [TestCase("{'oneOf':[{'type':'integer'},{'type':'number'}]}", "1", false)]
    [TestCase("{'oneOf':[{'type':'string'},{'type':'null'}]}", "true", false)]
    [TestCase("{'allOf':[{'minimum':1},{'maximum':5}]}", "3", true)]
    [TestCase("{'allOf':[{'minimum':1},{'maximum':5}]}", "6", false)]
    [TestCase("{'anyOf':[{'anyOf':[{'const':1},{'const':2}]},{'const':3}]}", "2", true)]
    [TestCase("{'anyOf':[{'anyOf':[{'const':1},{'const':2}]},{'const':3}]}", "4", false)]
    public void Validate_Combinators(string propertySchema, string value, bool expectedValid) =>
        AssertValidity(propertySchema, value, expectedValid);

    private static void AssertValidity(string propertySchema, string value, bool expectedValid)
    {
        var schema = SchemaJson.CompileProperty(propertySchema);

        var result = SchemaJson.ValidateProperty(schema, value);

        Assert.That(result.IsValid, Is.EqualTo(expectedValid), () => result.ToString());
        Assert.That(result.Errors, expectedValid ? Is.Empty : Is.Not.Empty);
    }
}
