using System.Net;
using System.Text.Json;
using DemoBackends;

namespace Gateway.Tests.Samples;

public sealed partial class DemoBackendsTests
{
    [Test]
    public async Task Search_ReverseProxyTransforms_RanksTheYarpDocumentsFirst()
    {
        var (status, body) = await PostAsync(BackendNames.SemanticSearch, "v1/search", """{"query":"reverse proxy transforms","top_k":3}""");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body.GetProperty("query").GetString(), Is.EqualTo("reverse proxy transforms"));
        var results = body.GetProperty("results");
        Assert.That(Ids(results), Is.EqualTo(new[] { "doc-004", "doc-003", "adr-001" }));
        Assert.That(Scores(results), Is.Ordered.Descending.And.All.InRange(0.0, 1.0));
        Assert.That(results[0].GetProperty("title").GetString(), Is.EqualTo("YARP request transforms"));
        Assert.That(results[0].GetProperty("collection").GetString(), Is.EqualTo("docs"));
        Assert.That(results[0].GetProperty("snippet").GetString(), Is.EqualTo("Transforms change the proxied request and response."));
    }

    [Test]
    public async Task Search_DefaultTopK_ReturnsFiveResults()
    {
        var (_, body) = await PostAsync(BackendNames.SemanticSearch, "v1/search", """{"query":"kubernetes pods"}""");

        Assert.That(Ids(body.GetProperty("results")), Has.Length.EqualTo(5).And.Unique);
    }

    [Test]
    public async Task Search_Collection_ReturnsOnlyThatCollection()
    {
        var (_, body) = await PostAsync(BackendNames.SemanticSearch, "v1/search", """{"query":"redis","top_k":50,"collection":"runbooks"}""");

        var results = body.GetProperty("results").EnumerateArray().ToList();
        Assert.That(results, Is.Not.Empty);
        Assert.That(results.Select(r => r.GetProperty("collection").GetString()), Has.All.EqualTo("runbooks"));
        Assert.That(results[0].GetProperty("id").GetString(), Is.EqualTo("rb-004"));
    }

    [Test]
    public async Task HybridSearch_AlphaZero_IsPureBm25WithTheBestMatchNormalisedToOne()
    {
        var (_, body) = await PostAsync(BackendNames.SemanticSearch, "v1/hybrid-search", """{"query":"reverse proxy transforms","top_k":3,"alpha":0}""");

        var results = body.GetProperty("results");
        Assert.That(Ids(results), Is.EqualTo(new[] { "doc-003", "doc-004", "adr-001" }));
        Assert.That(Scores(results)[0], Is.EqualTo(1.0));
    }

    [Test]
    public async Task HybridSearch_AlphaOne_EqualsSemanticSearch()
    {
        var (_, semantic) = await PostAsync(BackendNames.SemanticSearch, "v1/search", """{"query":"circuit breaker retries","top_k":5}""");
        var (_, hybrid) = await PostAsync(BackendNames.SemanticSearch, "v1/hybrid-search", """{"query":"circuit breaker retries","top_k":5,"alpha":1}""");

        Assert.That(Json(hybrid.GetProperty("results")), Is.EqualTo(Json(semantic.GetProperty("results"))));
    }

    [Test]
    public async Task HybridSearch_DefaultAlpha_BlendsBothSignals()
    {
        var (_, body) = await PostAsync(BackendNames.SemanticSearch, "v1/hybrid-search", """{"query":"redis rate limit","collection":"adr"}""");

        var results = body.GetProperty("results");
        Assert.That(results[0].GetProperty("id").GetString(), Is.EqualTo("adr-003"));
        Assert.That(Scores(results)[0], Is.GreaterThan(0.5).And.LessThan(1.0));
    }

    [TestCase("v1/search", "{}", "missing_field", "'query'")]
    [TestCase("v1/search", """{"query":"x","top_k":0}""", "invalid_field", "'top_k'")]
    [TestCase("v1/search", """{"query":"x","top_k":51}""", "invalid_field", "'top_k'")]
    [TestCase("v1/search", """{"query":"x","collection":"wiki"}""", "invalid_field", "'collection'")]
    [TestCase("v1/hybrid-search", """{"query":""}""", "missing_field", "'query'")]
    [TestCase("v1/hybrid-search", """{"query":"x","alpha":1.5}""", "invalid_field", "'alpha'")]
    [TestCase("v1/hybrid-search", """{"query":"x","alpha":"high"}""", "invalid_field", "'alpha'")]
    public async Task Search_InvalidBody_Returns400NamingTheField(string path, string json, string error, string mentions)
    {
        var (status, body) = await PostAsync(BackendNames.SemanticSearch, path, json);

        AssertError(status, body, HttpStatusCode.BadRequest, error, mentions);
    }

    [Test]
    public async Task Documents_KnownId_ReturnsTheDocument()
    {
        var (status, body) = await GetAsync(BackendNames.SemanticSearch, "v1/documents/doc-007");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body.GetProperty("title").GetString(), Is.EqualTo("Redis as a cache"));
        Assert.That(body.GetProperty("text").GetString(), Does.StartWith("Redis is an in-memory key value store"));
    }

    [Test]
    public async Task Documents_UnknownId_Returns404()
    {
        var (status, body) = await GetAsync(BackendNames.SemanticSearch, "v1/documents/doc-999");

        AssertError(status, body, HttpStatusCode.NotFound, "not_found", "doc-999");
    }

    [Test]
    public async Task Collections_ListsEachCollectionWithItsDocumentCount()
    {
        var (_, body) = await GetAsync(BackendNames.SemanticSearch, "v1/collections");

        Assert.That(Json(body), Is.EqualTo(
            """{"collections":[{"name":"adr","documents":8},{"name":"docs","documents":12},{"name":"runbooks","documents":10}]}"""));
    }

    private static string[] Ids(JsonElement results) =>
        [.. results.EnumerateArray().Select(r => r.GetProperty("id").GetString()!)];

    private static double[] Scores(JsonElement results) =>
        [.. results.EnumerateArray().Select(r => r.GetProperty("score").GetDouble())];
}
