using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Gateway.Proxy.Security.Keys;

namespace Gateway.Tests.Security.Authentication;

/// <summary>API keys through the running gateway: the three ways to send one, and rejection after expiry or revocation without a restart.</summary>
public sealed class ApiKeyAuthenticationTests
{
    private SecuredGateway _env = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _env = await SecuredGateway.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _env.DisposeAsync();

    [TestCase("X-API-Key")]
    [TestCase("Authorization: ApiKey")]
    [TestCase("Authorization: Bearer")]
    public async Task ValidKey_InEachAcceptedPlace_IsServed(string place)
    {
        var key = await _env.CreateApiKeyAsync("--subject", "svc-ci", "--tier", "standard", "--scopes", "tools:call");
        await WaitUntilAcceptedAsync(key);
        using var request = new HttpRequestMessage(HttpMethod.Get, "tools");
        if (place == "X-API-Key")
        {
            request.Headers.Add("X-API-Key", key);
        }
        else
        {
            request.Headers.Authorization = new AuthenticationHeaderValue(place.EndsWith("ApiKey", StringComparison.Ordinal) ? "ApiKey" : "Bearer", key);
        }

        using var response = await _env.Http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task UnknownKey_Is401ApiKeyInvalid()
    {
        var before = await _env.AuthFailuresAsync("api_key_invalid");

        using var response = await SendAsync(ApiKeyFormat.Generate().Key);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.Contain("error=\"invalid_token\""));
        Assert.That(await _env.AuthFailuresAsync("api_key_invalid"), Is.EqualTo(before + 1));
    }

    [Test]
    public async Task RevokedWithTheCli_IsRejectedWithoutRestart()
    {
        var key = await _env.CreateApiKeyAsync("--subject", "svc-leaked", "--tier", "free");
        await WaitUntilAcceptedAsync(key);
        var before = await _env.AuthFailuresAsync("api_key_revoked");

        var code = await KeysCommandLine.RunAsync(["revoke", key[6..22], "--file", _env.KeysPath], TextWriter.Null, TextWriter.Null);

        Assert.That(code, Is.Zero);
        Assert.That(await EventuallyStatusAsync(key, HttpStatusCode.Unauthorized), Is.True);
        using var response = await SendAsync(key);
        Assert.That((string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["data"]!["reason"], Is.EqualTo("api_key_revoked"));
        Assert.That(await _env.AuthFailuresAsync("api_key_revoked"), Is.GreaterThan(before));
    }

    [Test]
    public async Task ExpiredKey_Is401ApiKeyExpired()
    {
        var (id, key) = ApiKeyFormat.Generate();
        var document = await ApiKeyFile.ReadAsync(_env.KeysPath);
        document.Keys.Add(new ApiKeyRecord
        {
            Id = id, Hash = ApiKeyFormat.Hash(key), Subject = "svc-old", Tier = "free",
            Created = DateTimeOffset.UtcNow.AddDays(-91), Expires = DateTimeOffset.UtcNow.AddDays(-1),
        });
        await ApiKeyFile.WriteAsync(_env.KeysPath, document);

        var body = await EventuallyReasonAsync(key, "api_key_expired");

        Assert.That(body, Does.Contain("expired"));
    }

    [Test]
    public async Task KeyExpiry_IsExportedAsAMetric()
    {
        var key = await _env.CreateApiKeyAsync("--subject", "svc-metrics", "--tier", "free", "--expires", "30d");
        await WaitUntilAcceptedAsync(key);

        using var request = _env.Request(HttpMethod.Get, "metrics", _env.OperatorToken());
        using var response = await _env.Http.SendAsync(request);
        var metrics = await response.Content.ReadAsStringAsync();

        Assert.That(metrics, Does.Contain($"mcp_api_key_expiry_timestamp{{key_id=\"{key[6..22]}\"}}"));
    }

    private Task<HttpResponseMessage> SendAsync(string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "tools");
        request.Headers.Add("X-API-Key", key);
        return _env.Http.SendAsync(request);
    }

    private async Task WaitUntilAcceptedAsync(string key) =>
        Assert.That(await EventuallyStatusAsync(key, HttpStatusCode.OK), Is.True, "the gateway picked up the key file");

    private async Task<bool> EventuallyStatusAsync(string key, HttpStatusCode status)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            using var response = await SendAsync(key);
            if (response.StatusCode == status)
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    private async Task<string> EventuallyReasonAsync(string key, string reason)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        var body = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await SendAsync(key);
            body = await response.Content.ReadAsStringAsync();
            if (body.Contains($"\"reason\":\"{reason}\"", StringComparison.Ordinal))
            {
                return body;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"never rejected with {reason}; last body: {body}");
        return body;
    }
}
