namespace Gateway.Proxy.Hosting;

/// <summary>
/// <c>Gateway.Proxy healthcheck [--url http://127.0.0.1:8087/health]</c>: GETs the gateway's liveness endpoint and
/// exits 0 when it answers 2xx, 1 otherwise. The container image's HEALTHCHECK uses it, so the image needs no curl.
/// Without <c>--url</c> it asks 127.0.0.1 on MCP_GATEWAY_PORT (default 8087).
/// </summary>
public static class HealthCheckCommand
{
    public const string CommandName = "healthcheck";

    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(3);

    /// <param name="args">The arguments after <c>healthcheck</c>.</param>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter error)
    {
        Uri? url;
        if (args.Count == 0)
        {
            try
            {
                url = new Uri(EnvironmentVariableAliases.ListenUrl("127.0.0.1", Environment.GetEnvironmentVariable("MCP_GATEWAY_PORT")) + "/health");
            }
            catch (ArgumentException ex)
            {
                await error.WriteLineAsync($"error: {ex.Message}");
                return 2;
            }
        }
        else if (args.Count == 2 && args[0] == "--url" && Uri.TryCreate(args[1], UriKind.Absolute, out url) && url.Scheme is "http" or "https")
        {
        }
        else
        {
            await error.WriteLineAsync("Usage: Gateway.Proxy healthcheck [--url http://127.0.0.1:8087/health]");
            return 2;
        }

        using var http = new HttpClient { Timeout = s_timeout };
        try
        {
            using var response = await http.GetAsync(url);
            if (response.IsSuccessStatusCode)
            {
                return 0;
            }

            await error.WriteLineAsync($"unhealthy: {url} answered {(int)response.StatusCode}");
            return 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            await error.WriteLineAsync($"unhealthy: {url} did not answer ({ex.Message})");
            return 1;
        }
    }
}
