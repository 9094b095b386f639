using System.Globalization;

namespace Gateway.Proxy.Hosting;

/// <summary>
/// Where the management listener is (<see cref="ManagementOptions"/>) and whether a request came in through it. A request
/// belongs to the management listener by the local port of its connection, never by its Host header, which the
/// caller controls.
/// </summary>
public sealed class ManagementListener
{
    public static readonly ManagementListener None = new(null, []);

    public ManagementListener(int? port, IReadOnlyList<string> mainUrls)
    {
        Port = port;
        MainUrls = mainUrls;
        Urls = port is { } value ? UrlsFor(value, mainUrls) : [];
    }

    /// <summary>The management port, or null when operator endpoints stay on the main listener.</summary>
    public int? Port { get; }

    public bool IsEnabled => Port is not null;

    /// <summary>The main listener's URLs as configured (urls / ASPNETCORE_URLS / MCP_GATEWAY_HOST and _PORT).</summary>
    public IReadOnlyList<string> MainUrls { get; }

    /// <summary>The management URLs: each host the main listener uses, on the management port.</summary>
    public IReadOnlyList<string> Urls { get; }

    public bool IsManagementConnection(HttpContext context) => Port is { } port && context.Connection.LocalPort == port;

    /// <summary>
    /// Adds the management URLs to the host's listen addresses (after every other source of urls has had its say), and
    /// registers this listener. An invalid or conflicting port adds nothing here; options validation then stops start-up.
    /// </summary>
    public static void Apply(WebApplicationBuilder builder)
    {
        var mainUrls = Split(builder.Configuration[WebHostDefaults.ServerUrlsKey]);
        var raw = builder.Configuration[ManagementOptions.PortKey];
        int? port = int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= 65535 ? value : null;
        var listener = new ManagementListener(port, mainUrls);
        builder.Services.AddSingleton(listener);
        if (listener.IsEnabled && listener.Urls.Count > 0 && listener.ConflictingUrls().Count == 0
            && !builder.Configuration.GetSection("Kestrel:Endpoints").GetChildren().Any())
        {
            builder.WebHost.UseUrls([.. mainUrls, .. listener.Urls]);
        }
    }

    /// <summary>Main URLs that already use the management port.</summary>
    public IReadOnlyList<string> ConflictingUrls() =>
        Port is { } port ? MainUrls.Where(url => TryParse(url, out var address) && address.Port == port).ToList() : [];

    private static List<string> UrlsFor(int port, IReadOnlyList<string> mainUrls)
    {
        var urls = new List<string>();
        foreach (var url in mainUrls)
        {
            if (TryParse(url, out var address))
            {
                var management = $"{address.Scheme}://{address.Host}:{port.ToString(CultureInfo.InvariantCulture)}";
                if (!urls.Contains(management, StringComparer.OrdinalIgnoreCase))
                {
                    urls.Add(management);
                }
            }
        }

        return urls;
    }

    private static bool TryParse(string url, out BindingAddress address)
    {
        try
        {
            address = BindingAddress.Parse(url);
            return !address.IsUnixPipe && !address.IsNamedPipe;
        }
        catch (FormatException)
        {
            address = null!;
            return false;
        }
    }

    private static IReadOnlyList<string> Split(string? urls) =>
        string.IsNullOrWhiteSpace(urls) ? [] : urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
