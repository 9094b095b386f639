using System.Net;
using System.Text;
using DemoBackends;

namespace Gateway.Tests.Samples;

public sealed partial class DemoBackendsTests
{
    private const string RedisPrompt = "Redis is a fast cache. Redis stores keys in memory.";

    [Test]
    public async Task Completion_Defaults_SummarizesFirstSentenceWordCountAndKeywords()
    {
        var (status, body) = await PostAsync(BackendNames.LlmGateway, "v1/completions", $$"""{"prompt":"{{RedisPrompt}}"}""");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body.GetProperty("model").GetString(), Is.EqualTo("demo-echo-1"));
        Assert.That(body.GetProperty("completion").GetString(),
            Is.EqualTo("Summary: Redis is a fast cache. (10 words; keywords: redis, fast, cache)"));
        Assert.That(body.GetProperty("finish_reason").GetString(), Is.EqualTo("stop"));
        Assert.That(Json(body.GetProperty("usage")), Is.EqualTo("""{"prompt_tokens":10,"completion_tokens":12,"total_tokens":22}"""));
    }

    [Test]
    public async Task Completion_MaxTokensBelowLength_TruncatesAndFinishesWithLength()
    {
        var (_, body) = await PostAsync(BackendNames.LlmGateway, "v1/completions",
            $$"""{"prompt":"{{RedisPrompt}}","max_tokens":3,"temperature":1.5,"model":"custom-7"}""");

        Assert.That(body.GetProperty("completion").GetString(), Is.EqualTo("Summary: Redis is"));
        Assert.That(body.GetProperty("finish_reason").GetString(), Is.EqualTo("length"));
        Assert.That(body.GetProperty("model").GetString(), Is.EqualTo("custom-7"));
        Assert.That(Json(body.GetProperty("usage")), Is.EqualTo("""{"prompt_tokens":10,"completion_tokens":3,"total_tokens":13}"""));
    }

    [Test]
    public async Task Completion_SamePromptTwice_GivesIdenticalAnswers()
    {
        var first = await PostAsync(BackendNames.LlmGateway, "v1/completions", """{"prompt":"Deterministic answers help tests."}""");
        var second = await PostAsync(BackendNames.LlmGateway, "v1/completions", """{"prompt":"Deterministic answers help tests."}""");

        Assert.That(Json(second.Body), Is.EqualTo(Json(first.Body)));
    }

    [Test]
    public async Task Completion_RequestIdHeader_IsEchoedBack()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.LlmGateway, "v1/completions"))
        {
            Content = new StringContent("""{"prompt":"hello"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Request-ID", "trace-9");

        using var response = await _http.SendAsync(request);

        Assert.That(response.Headers.GetValues("X-Request-ID"), Is.EqualTo(new[] { "trace-9" }));
    }

    [TestCase("{}", "missing_field", "'prompt'")]
    [TestCase("""{"prompt":"   "}""", "missing_field", "'prompt'")]
    [TestCase("""{"prompt":"x","max_tokens":0}""", "invalid_field", "'max_tokens'")]
    [TestCase("""{"prompt":"x","max_tokens":2049}""", "invalid_field", "'max_tokens'")]
    [TestCase("""{"prompt":"x","max_tokens":"many"}""", "invalid_field", "'max_tokens'")]
    [TestCase("""{"prompt":"x","temperature":2.5}""", "invalid_field", "'temperature'")]
    [TestCase("""{"prompt":"x","temperature":-0.1}""", "invalid_field", "'temperature'")]
    [TestCase("""{"prompt":42}""", "invalid_field", "'prompt'")]
    [TestCase("", "invalid_json", "empty")]
    [TestCase("not json", "invalid_json", "not valid JSON")]
    [TestCase("{\"prompt\":", "invalid_field", "malformed JSON")]
    [TestCase("[1,2]", "invalid_json", "JSON object")]
    [TestCase("null", "invalid_json", "not null")]
    public async Task Completion_InvalidBody_Returns400NamingTheField(string json, string error, string mentions)
    {
        var (status, body) = await PostAsync(BackendNames.LlmGateway, "v1/completions", json);

        AssertError(status, body, HttpStatusCode.BadRequest, error, mentions);
    }
}
