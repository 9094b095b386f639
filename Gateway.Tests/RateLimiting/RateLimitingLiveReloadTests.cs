using System.Net;
using Gateway.Proxy.RateLimiting;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.RateLimiting;

/// <summary>Editing the policies in a settings file changes the running gateway's limits without a restart.</summary>
public sealed class RateLimitingLiveReloadTests
{
    [Test]
    public async Task EditedSettingsFile_NewLimitAppliesWithoutRestart()
    {
        await using var backend = await TestBackend.StartEchoAsync();
        var settingsPath = Path.Combine(Path.GetTempPath(), $"ratelimit-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(settingsPath, Settings(permitLimit: 1));
        try
        {
            var routes = new RoutesJson()
                .Cluster("backend", backend.Address)
                .Route("api", """{"ClusterId":"backend","Match":{"Path":"/api/{**rest}"},"RateLimiterPolicy":"live"}""")
                .ToString();
            await using var gateway = await TestGateway.StartAsync(routes, configure: builder =>
                builder.Configuration.AddJsonFile(settingsPath, optional: false, reloadOnChange: true));
            using var http = new HttpClient { BaseAddress = gateway.Address };
            var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            gateway.GetRequiredService<RateLimitPolicies>().Changed += () => changed.TrySetResult();

            using var first = await http.GetAsync("api/1");
            using var second = await http.GetAsync("api/2");
            await File.WriteAllTextAsync(settingsPath, Settings(permitLimit: 3));
            await changed.Task.WaitAsync(TimeSpan.FromSeconds(20));
            using var third = await http.GetAsync("api/3");

            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(third.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(third.Headers.GetValues("X-RateLimit-Limit"), Is.EqualTo(new[] { "3" }));
        }
        finally
        {
            File.Delete(settingsPath);
        }
    }

    private static string Settings(int permitLimit) =>
        $$"""{ "Gateway": { "RateLimiting": { "Policies": { "live": { "PermitLimit": {{permitLimit}}, "Window": "00:01:00" } } } } }""";
}
