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

    [TestCase("X-Gateway-Subject")]
    [TestCase("X_Gateway_Subject")]
    [TestCase("x-gateway-subject")]
    [TestCase("X-GATEWAY_tier")]
    [TestCase("X-Gateway-Anything")]
    [TestCase("x_gateway_")]
    [TestCase("Host")]
    [TestCase("Content-Length")]
    [TestCase("content_length")]
    [TestCase("Content-Type")]
    [TestCase("Transfer-Encoding")]
    [TestCase("Transfer_Encoding")]
    [TestCase("TE")]
    [TestCase("Trailer")]
    [TestCase("Connection")]
    [TestCase("Keep-Alive")]
    [TestCase("Upgrade")]
    [TestCase("Proxy-Authorization")]
    [TestCase("proxy_authorization")]
    [TestCase("X_API_KEY")]
    [TestCase("X-Request-ID")]
    [TestCase("X-Forwarded-For")]
    [TestCase("X_Forwarded_Host")]
    [TestCase("Forwarded")]
    [TestCase("traceparent")]
    public void Parse_HeaderBindingToAReservedHeaderInAnySpelling_IsAConfigError(string header)
    {
        var errors = new List<string>();
        var template = RestRequestTemplate.Parse("POST /x", null, null, $"{header}=v", errors);

        Assert.That(template, Is.Null);
        Assert.That(string.Join("\n", errors), Does.Contain($"'{header}' is reserved"));
    }

    [TestCase("X Probe")]
    [TestCase("X:Probe")]
    [TestCase("X-Pr\u00f6be")]
    [TestCase("X-Probe\r\nX-Other")]
    [TestCase("X(Probe)")]
    public void Parse_HeaderBindingNameThatIsNotAToken_IsAConfigError(string header)
    {
        var errors = new List<string>();
        RestRequestTemplate.Parse("POST /x", null, null, $"{header}=v", errors);
        Assert.That(string.Join("\n", errors), Does.Contain("not a valid header name"));
    }

    [TestCase("X-Probe")]
    [TestCase("X_Probe")]
    [TestCase("x.probe!#$%&'*+^`|~")]
    public void Parse_HeaderBindingNameThatIsAToken_IsAccepted(string header)
    {
        var errors = new List<string>();
        var template = RestRequestTemplate.Parse("POST /x", null, null, $"{header}=v", errors);
        Assert.That(errors, Is.Empty);
        Assert.That(template!.Headers.Single().Target, Is.EqualTo(header));
    }

    [Test]
    public void Parse_TwoBindingsFoldingToOneHeader_IsAConfigError()
    {
        var errors = new List<string>();
        RestRequestTemplate.Parse("POST /x", null, null, "X-Probe=a,x_probe=b", errors);
        Assert.That(string.Join("\n", errors), Does.Contain("name the same header"));
    }

    [TestCase("percent", HeaderValueEncoding.Percent)]
    [TestCase("none", HeaderValueEncoding.None)]
    public void Parse_HeaderEncoding_KnownValue_IsTaken(string value, HeaderValueEncoding expected)
    {
        var errors = new List<string>();
        var template = RestRequestTemplate.Parse("POST /x", null, null, "X-Probe=v", errors, value);
        Assert.That(errors, Is.Empty);
        Assert.That(template!.HeaderEncoding, Is.EqualTo(expected));
    }

    [TestCase("Percent", "X-Probe=v", "is not supported")]
    [TestCase("rfc8187", "X-Probe=v", "is not supported")]
    [TestCase("", "X-Probe=v", "is not supported")]
    [TestCase("percent", null, "no 'Headers' bindings")]
    public void Parse_HeaderEncoding_UnknownValueOrNothingToEncode_IsAConfigError(string value, string? headers, string expected)
    {
        var errors = new List<string>();
        var template = RestRequestTemplate.Parse("POST /x", null, null, headers, errors, value);
        Assert.That(template, Is.Null);
        Assert.That(string.Join("\n", errors), Does.Contain(expected));
    }

    [Test]
    public void Bind_EveryPlaceIsCheckedAndEncoded()
    {
        var errors = new List<string>();
        var template = RestRequestTemplate.Parse("GET /v1/{id}/items", "k=q,tags", null, "X-Probe=h", errors)!;
        var arguments = JsonDocument.Parse("""{"id":"a/b","q":"x y&z","tags":["1",2,false],"h":7}""").RootElement;

        Assert.That(template.TryBind(arguments, "t", out var bound, out var error), Is.True, error);
        Assert.That(bound!.PathAndQuery, Is.EqualTo("/v1/a%2Fb/items?k=x%20y%26z&tags=1&tags=2&tags=false"));
        Assert.That(bound.Headers, Is.EqualTo(new[] { new KeyValuePair<string, string>("X-Probe", "7") }));
    }

    [TestCase("""{"id":"..","q":"x","h":"v"}""", "Argument 'id' of tool 't'", "backend path")]
    [TestCase("""{"id":"a","q":"x\u0000","h":"v"}""", "Argument 'q' of tool 't'", "query parameter 'k'")]
    [TestCase("""{"id":"a","q":{"x":1},"h":"v"}""", "Argument 'q' of tool 't' is an object", "query parameter 'k'")]
    [TestCase("""{"id":"a","q":"x","h":"v\r\nX-Injected: 1"}""", "Argument 'h' of tool 't' contains the control character U+000D", "header X-Probe")]
    [TestCase("""{"id":"a","q":"x","h":"\ud800"}""", "Argument 'h' of tool 't' contains an escaped unpaired UTF-16 surrogate", "no part of a request")]
    [TestCase("""{"id":"\udc00","q":"x","h":"v"}""", "Argument 'id' of tool 't' contains an escaped unpaired UTF-16 surrogate", "no part of a request")]
    public void Bind_BadValue_NamesTheArgumentThePlaceAndTheProblem(string json, string expectedStart, string expectedPlace)
    {
        var errors = new List<string>();
        var template = RestRequestTemplate.Parse("GET /v1/{id}", "k=q", null, "X-Probe=h", errors)!;

        Assert.That(template.TryBind(JsonDocument.Parse(json).RootElement, "t", out _, out var error), Is.False);
        Assert.That(error, Does.StartWith(expectedStart).And.Contain(expectedPlace));
    }
}
