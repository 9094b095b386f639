using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Validation.Passthrough;

/// <summary>
/// REST passthrough routes that declare ValidateCypher / ValidatePath fail closed: a body or query the gateway cannot
/// validate is refused with a JSON error and never reaches the backend; what is forwarded is exactly what was checked.
/// </summary>
public sealed class PassthroughValidationTests
{
    private const string Write = "MATCH (n) DETACH DELETE n";
    private const string Read = "MATCH (n) RETURN count(n)";

    private RecordingBackend _backend = null!;
    private TestGateway _gateway = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _backend = await RecordingBackend.StartAsync();
        var routes = new RoutesJson()
            .Cluster("graph", _backend.Address)
            .Route("graph-api", """
                { "ClusterId": "graph", "Match": { "Path": "/api/graph/{**rest}" },
                  "Transforms": [ { "ValidateCypher": "query" }, { "PathPattern": "/v1/graph/{**rest}" } ] }
                """)
            .Route("code-api", """
                { "ClusterId": "graph", "Match": { "Path": "/api/code/{**rest}" },
                  "Transforms": [ { "ValidatePath": "path", "AllowedRoots": "/repo", "Symlinks": "BackendConfines" }, { "PathPattern": "/v1/{**rest}" } ] }
                """);
        _gateway = await TestGateway.StartAsync(routes.ToString(), new Dictionary<string, string?> { ["Gateway:Limits:MaxRequestBodyBytes"] = "4096" });
        _http = new HttpClient { BaseAddress = _gateway.Address };
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _gateway.DisposeAsync();
        await _backend.DisposeAsync();
    }

    public static IEnumerable<TestCaseData> UnreadableBodies()
    {
        var json = $$"""{"query":"{{Write}}"}""";
        yield return Body("text/plain", Encoding.UTF8.GetBytes(json), 415).SetName("{m}(text/plain)");
        yield return Body(null, Encoding.UTF8.GetBytes(json), 415).SetName("{m}(no content type)");
        yield return Body("application/x-www-form-urlencoded", Encoding.UTF8.GetBytes("query=" + Uri.EscapeDataString(Write)), 415).SetName("{m}(form)");
        yield return Body("multipart/form-data; boundary=x", Encoding.UTF8.GetBytes($"--x\r\nContent-Disposition: form-data; name=\"query\"\r\n\r\n{Write}\r\n--x--\r\n"), 415).SetName("{m}(multipart)");
        yield return Body("application/json; charset=utf-16", Encoding.Unicode.GetBytes(json), 415).SetName("{m}(utf-16)");
        yield return Body("application/json; charset=iso-8859-1", Encoding.Latin1.GetBytes(json), 415).SetName("{m}(latin-1)");
        yield return Body("application/json; foo=bar", Encoding.UTF8.GetBytes(json), 415).SetName("{m}(unknown parameter)");
        yield return Body("application/jsonx", Encoding.UTF8.GetBytes(json), 415).SetName("{m}(lookalike type)");
        yield return Body("application/json", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(json)], 400).SetName("{m}(UTF-8 BOM)");
        yield return Body("application/json", Gzip(json), 415, "gzip").SetName("{m}(gzip)");
        yield return Body("application/json", Encoding.UTF8.GetBytes(json), 415, "identity").SetName("{m}(identity)");
        yield return Body("application/json", Encoding.UTF8.GetBytes(json), 415, "br").SetName("{m}(br)");
        yield return Body("application/json", Encoding.UTF8.GetBytes(json), 415, "deflate").SetName("{m}(deflate)");
        yield return Body("application/json", Gzip(json), 415, "identity, gzip").SetName("{m}(stacked encodings)");
        yield return Body("application/json", Encoding.UTF8.GetBytes($$"""[{"query":"{{Write}}"}]"""), 400).SetName("{m}(array root)");
        yield return Body("application/json", Encoding.UTF8.GetBytes($$"""  "{{Write}}" """), 400).SetName("{m}(string root)");
        yield return Body("application/json", Encoding.UTF8.GetBytes($$"""{"query":"{{Write}}","query":"{{Read}}"}"""), 400).SetName("{m}(duplicate keys)");
        yield return Body("application/json", Encoding.UTF8.GetBytes($$"""{"query":"{{Write}}","\u0071uery":"{{Read}}"}"""), 400).SetName("{m}(duplicate via escape)");
        yield return Body("application/json", Encoding.UTF8.GetBytes($$"""{"query":"{{Read}}","Query":"{{Write}}"}"""), 400).SetName("{m}(case-variant duplicate)");
        yield return Body("application/json", Encoding.UTF8.GetBytes($$"""{"params":{"a":1,"a":2},"query":"{{Read}}"}"""), 400).SetName("{m}(nested duplicate keys)");
        yield return Body("application/json", Encoding.UTF8.GetBytes("""{"query":"MATCH (n) \ud800 DETACH DELETE n"}"""), 400).SetName("{m}(unpaired surrogate)");
        yield return Body("application/json", Encoding.UTF8.GetBytes($$"""{"x\udc00":1,"query":"{{Read}}"}"""), 400).SetName("{m}(unpaired surrogate in a name)");
        yield return Body("application/json", [.. Encoding.UTF8.GetBytes("{\"query\":\"MATCH (n) "), 0xC0, 0xAF, .. Encoding.UTF8.GetBytes(" RETURN n\"}")], 400).SetName("{m}(invalid UTF-8)");
        yield return Body("application/json", Encoding.UTF8.GetBytes($$$"""{"params":{"query":"{{{Write}}}"}}"""), 400).SetName("{m}(argument nested)");
        yield return Body("application/json", Encoding.UTF8.GetBytes($$"""{"cypher":"{{Write}}"}"""), 400).SetName("{m}(argument missing)");
        yield return Body("application/json", Encoding.UTF8.GetBytes("""{"query":42}"""), 400).SetName("{m}(number)");
        yield return Body("application/json", Encoding.UTF8.GetBytes($$"""{"query":["{{Write}}"]}"""), 400).SetName("{m}(array argument)");
        yield return Body("application/json", Encoding.UTF8.GetBytes($$$"""{"query":{"text":"{{{Write}}}"}}"""), 400).SetName("{m}(object argument)");
        yield return Body("application/json", Encoding.UTF8.GetBytes("""{"query":null}"""), 400).SetName("{m}(null argument)");
        yield return Body("application/json", Encoding.UTF8.GetBytes($$"""{"query":"{{Read}}"} {"query":"{{Write}}"}"""), 400).SetName("{m}(two documents)");
        yield return Body("application/json", Encoding.UTF8.GetBytes($$"""{"query":"{{Read}}" /* c */}"""), 400).SetName("{m}(comment)");
        yield return Body("application/json", Encoding.UTF8.GetBytes($$"""{"query":"{{Write}}"}"""), 400).SetName("{m}(write query)");
        yield return Body("application/json", Encoding.UTF8.GetBytes($$"""{"Query":"{{Write}}"}"""), 400).SetName("{m}(write under another letter case)");

        static TestCaseData Body(string? contentType, byte[] body, int status, string? encoding = null) => new(contentType, body, encoding, status);
    }

    [TestCaseSource(nameof(UnreadableBodies))]
    public async Task Post_BodyTheValidatorCannotCheckOrRejects_IsRefusedAndNeverForwarded(string? contentType, byte[] body, string? encoding, int status)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/graph/query") { Content = Content(body, contentType, encoding) };

        var (response, error) = await SendAsync(request);

        Assert.That((int)response, Is.EqualTo(status), error?.ToJsonString());
        Assert.That((string?)error?["message"], Is.Not.Null.And.Not.Empty);
    }

    [TestCase("GET")]
    [TestCase("DELETE")]
    public async Task BodyOnGetOrDelete_IsValidatedLikeAPost(string method)
    {
        using var json = new HttpRequestMessage(new HttpMethod(method), "api/graph/query") { Content = Content(Encoding.UTF8.GetBytes($$"""{"query":"{{Write}}"}"""), "application/json", null) };
        using var text = new HttpRequestMessage(new HttpMethod(method), "api/graph/query") { Content = Content(Encoding.UTF8.GetBytes($$"""{"query":"{{Write}}"}"""), "text/plain", null) };

        var (jsonStatus, jsonError) = await SendAsync(json);
        var (textStatus, _) = await SendAsync(text);

        Assert.That(jsonStatus, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((string?)jsonError!["error"], Is.EqualTo("CypherValidationError"));
        Assert.That(textStatus, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
    }

    [Test]
    public async Task ChunkedBodyWithoutContentLength_IsStillValidated()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/graph/query") { Content = new ChunkedContent(Encoding.UTF8.GetBytes($$"""{"query":"{{Write}}"}"""), "application/json") };
        request.Headers.TransferEncodingChunked = true;

        var (status, error) = await SendAsync(request);

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((string?)error!["error"], Is.EqualTo("CypherValidationError"));
    }

    [Test]
    public async Task OversizedBody_DeclaredOrChunked_Is413()
    {
        var big = Encoding.UTF8.GetBytes($$"""{"query":"{{Read}}","pad":"{{new string('x', 5000)}}"}""");
        using var declared = new HttpRequestMessage(HttpMethod.Post, "api/graph/query") { Content = Content(big, "application/json", null) };
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "api/graph/query") { Content = new ChunkedContent(big, "application/json") };
        chunked.Headers.TransferEncodingChunked = true;

        var (declaredStatus, declaredError) = await SendAsync(declared);
        var (chunkedStatus, _) = await SendAsync(chunked);

        Assert.That(declaredStatus, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That((string?)declaredError!["message"], Does.Contain("MaxRequestBodyBytes"));
        Assert.That(chunkedStatus, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
    }

    [TestCase("query=" + Read + "&query=" + Write)]
    [TestCase("query=" + Read + "&QUERY=" + Write)]
    [TestCase("query=" + Read + "&%71uery=" + Write)]
    [TestCase("QUERY=" + Write)]
    [TestCase("%71%75%65%72%79=" + Write)]
    [TestCase("query[]=" + Write)]
    [TestCase("query[0]=" + Read)]
    public async Task QueryString_RepeatedEncodedOrWriting_IsRefused(string query)
    {
        var (status, error) = await SendAsync(new HttpRequestMessage(HttpMethod.Get, "api/graph/query?" + query.Replace(" ", "%20")));

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), error?.ToJsonString());
        Assert.That((string?)error!["error"], Is.EqualTo("CypherValidationError"));
    }

    [TestCase(Read, Write)]
    [TestCase(Write, Read)]
    [TestCase(Read, Read)]
    public async Task ArgumentInBothQueryAndBody_IsRefused(string inQuery, string inBody)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/graph/query?query=" + Uri.EscapeDataString(inQuery))
        {
            Content = Content(Encoding.UTF8.GetBytes($$"""{"query":"{{inBody}}"}"""), "application/json", null),
        };

        var (status, error) = await SendAsync(request);

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((string?)error!["message"], Does.Contain("both in the query string and in the JSON body"));
    }

    [TestCase("""{"path":"/etc/passwd"}""", "text/plain", 415)]
    [TestCase("""{"path":"/etc/passwd"}""", null, 415)]
    [TestCase("""{"path":"/etc/passwd"}""", "application/json", 400)]
    [TestCase("""{"path":"file:///etc/passwd"}""", "application/json", 400)]
    [TestCase("""{"path":"src","PATH":"/etc/passwd"}""", "application/json", 400)]
    [TestCase("""{"path":["/etc/passwd"]}""", "application/json", 400)]
    [TestCase("""{"target":"/etc/passwd"}""", "application/json", 400)]
    public async Task PathRoute_UncheckableOrEscapingBody_IsRefused(string body, string? contentType, int status)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/code/analyze") { Content = Content(Encoding.UTF8.GetBytes(body), contentType, null) };

        var (response, error) = await SendAsync(request);

        Assert.That((int)response, Is.EqualTo(status), error?.ToJsonString());
    }

    [TestCase("path=src&path=/etc/passwd")]
    [TestCase("path=/etc/passwd")]
    [TestCase("Path=/etc/passwd")]
    [TestCase("%70ath=/etc/passwd")]
    [TestCase("path=file:/etc/passwd")]
    public async Task PathRoute_QueryStringEscapeOrRepeat_IsRefused(string query)
    {
        var (status, error) = await SendAsync(new HttpRequestMessage(HttpMethod.Get, "api/code/analyze?" + query));

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), error?.ToJsonString());
        Assert.That((string?)error!["error"], Is.EqualTo("PathValidationError"));
    }

    [TestCase("application/json")]
    [TestCase("application/json; charset=utf-8")]
    [TestCase("application/json; charset=\"UTF-8\"")]
    [TestCase("application/vnd.api+json")]
    public async Task ValidJsonReadQuery_IsForwardedByteForByte(string contentType)
    {
        var body = Encoding.UTF8.GetBytes($$"""{ "query" : "{{Read}}", "params": {"x": "caf\u00e9 \ud83d\ude00"} }""");
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/graph/query") { Content = Content(body, contentType, null) };

        var received = await ForwardedAsync(request);

        Assert.That(received.Body, Is.EqualTo(body));
        Assert.That(received.Path, Is.EqualTo("/v1/graph/query"));
    }

    [Test]
    public async Task ChunkedValidBody_IsForwardedByteForByte()
    {
        var body = Encoding.UTF8.GetBytes($$"""{"query":"{{Read}}"}""");
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/graph/query") { Content = new ChunkedContent(body, "application/json") };
        request.Headers.TransferEncodingChunked = true;

        var received = await ForwardedAsync(request);

        Assert.That(received.Body, Is.EqualTo(body));
    }

    [Test]
    public async Task QueryString_IsForwardedReEncodedFromTheCheckedParameters()
    {
        // ';' is a parameter separator for some backends; the checked value holds it, so it must arrive encoded.
        var received = await ForwardedAsync(new HttpRequestMessage(HttpMethod.Get, "api/code/analyze?%70ath=src+x;path=/etc/passwd&limit=5"));

        Assert.That(received.Query, Is.EqualTo("?path=src%20x%3Bpath%3D%2Fetc%2Fpasswd&limit=5"));
    }

    [Test]
    public async Task RequestWithoutBodyOrArgument_IsForwarded()
    {
        var received = await ForwardedAsync(new HttpRequestMessage(HttpMethod.Get, "api/graph/labels"));

        Assert.That(received.Path, Is.EqualTo("/v1/graph/labels"));
    }

    [Test]
    public async Task RelativePathInsideTheRoot_IsForwarded()
    {
        var body = Encoding.UTF8.GetBytes("""{"path":"src/./main.cs"}""");
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/code/analyze") { Content = Content(body, "application/json", null) };

        var received = await ForwardedAsync(request);

        Assert.That(received.Body, Is.EqualTo(body));
    }

    private async Task<(HttpStatusCode Status, JsonNode? Error)> SendAsync(HttpRequestMessage request)
    {
        var before = _backend.Received.Count;
        using var _ = request;
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(_backend.Received, Has.Count.EqualTo(before), $"the backend was called: {text}");
        if (!response.IsSuccessStatusCode)
        {
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"), text);
        }

        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private async Task<ReceivedRequest> ForwardedAsync(HttpRequestMessage request)
    {
        var before = _backend.Received.Count;
        using var _ = request;
        using var response = await _http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(_backend.Received, Has.Count.EqualTo(before + 1));
        return _backend.Received.Last();
    }

    private static ByteArrayContent Content(byte[] body, string? contentType, string? encoding)
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        if (encoding is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Encoding", encoding);
        }

        return content;
    }

    private static byte[] Gzip(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return output.ToArray();
    }

    /// <summary>Content of unknown length, so HttpClient sends it chunked.</summary>
    private sealed class ChunkedContent : HttpContent
    {
        private readonly byte[] _body;

        public ChunkedContent(byte[] body, string contentType)
        {
            _body = body;
            Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(_body.AsMemory(0, _body.Length / 2));
            await stream.FlushAsync();
            await stream.WriteAsync(_body.AsMemory(_body.Length / 2));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
