using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Gateway.Tests.Resilience;

/// <summary>Calls and checks against a running test gateway, shared by the resilience tests.</summary>
internal static class GatewayProbe
{
    public static Task<HttpResponseMessage> CallToolAsync(HttpClient http, string tool, object? arguments = null) =>
        http.PostAsJsonAsync("tools/call", new { tool, arguments = arguments ?? new { } });

    /// <summary>The text of a REST facade result, or the message of a REST rejection.</summary>
    public static async Task<(int Status, string? Error, string Text)> CallToolTextAsync(HttpClient http, string tool, object? arguments = null)
    {
        using var response = await CallToolAsync(http, tool, arguments);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        var text = (string?)body?["content"]?[0]?["text"] ?? (string?)body?["message"] ?? "";
        return ((int)response.StatusCode, (string?)body?["error"], text);
    }

    public static async Task<double> ScrapeAsync(HttpClient http, string series)
    {
        var text = await http.GetStringAsync("metrics");
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    /// <summary>Replaces a file the way editors and deploy tools do (write aside, then rename), so no reader sees half a file.</summary>
    public static async Task WriteAtomicallyAsync(string path, string content)
    {
        var staging = path + ".tmp-" + Guid.NewGuid().ToString("N");
        await File.WriteAllTextAsync(staging, content);
        File.Move(staging, path, overwrite: true);
    }

    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            if (timeout.IsCancellationRequested)
            {
                Assert.Fail($"Timed out waiting until {what}.");
            }

            await Task.Delay(50);
        }
    }
}
