using Gateway.Proxy.Configuration;
using Gateway.Proxy.Hosting;
using Gateway.Transforms.Federation;
using Gateway.Transforms.Federation.Pinning;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;

namespace Gateway.Proxy.Federation.Pinning;

/// <summary>
/// <c>Gateway.Proxy pins list|approve</c>: connects to the upstream MCP servers of routes.json exactly as the gateway
/// does (same transports, clusters and credentials, from the same configuration), lists their tools, and compares each
/// definition's hash with the pin file; <c>approve</c> writes the current hashes. The report goes to stdout, errors
/// are one line on stderr; exit code 0 on success, 1 on any error.
/// </summary>
public static class PinsCommandLine
{
    public const string CommandName = "pins";

    public const int Success = 0;
    public const int Failed = 1;

    internal const string Usage = """
        Usage: Gateway.Proxy pins <command> [options]

          list [--server <name>] [--routes <path>]
              Each federated tool's state: pinned (matches its pin), CHANGED (differs from its pin: quarantined),
              unpinned (never approved), or gone (pinned, no longer listed by the upstream).
          approve [--server <name>] [--tool <upstream tool name>] [--routes <path>] [--by <who>]
              Pins the current definition of the tools (all of every upstream, or only those named), printing what
              it approved and what changed. A running gateway lifts their quarantine when it sees the new pin file.

        --routes defaults to Gateway:RoutesPath (appsettings.json, MCP_GATEWAY_ROUTES_PATH; default routes.json); the pin
        file is Gateway:Federation:Pinning:File (default <routes>.pins.json beside it). --by defaults to the user name.
        """;

    /// <param name="args">The arguments after <c>pins</c>.</param>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        if (args.Count == 0 || args[0] is "help" or "--help" or "-h")
        {
            await (args.Count == 0 ? error : output).WriteLineAsync(Usage);
            return args.Count == 0 ? Failed : Success;
        }

        var command = args[0];
        if (command is not ("list" or "approve"))
        {
            await error.WriteLineAsync($"error: unknown pins command '{command}'; use 'list' or 'approve' (see 'pins help')");
            return Failed;
        }

        var (options, problem) = PinsArguments.Parse(args.Skip(1).ToList(), approve: command == "approve");
        if (options is null)
        {
            await error.WriteLineAsync($"error: {problem}; see 'pins help'");
            return Failed;
        }

        try
        {
            return await RunAsync(command == "approve", options, output, error);
        }
        catch (PinsCommandException ex)
        {
            await error.WriteLineAsync("error: " + ex.Message);
            return Failed;
        }
        catch (Exception ex) when (StartupFailure.Describe(ex) is { } message)
        {
            await error.WriteLineAsync("error: " + message.ReplaceLineEndings(" "));
            return Failed;
        }
    }

    private static async Task<int> RunAsync(bool approve, PinsArguments arguments, TextWriter output, TextWriter error)
    {
        await using var app = await GatewayApplication.CreateAsync([], builder =>
        {
            var settings = new Dictionary<string, string?> { ["Serilog:MinimumLevel:Default"] = "Fatal" };
            if (arguments.Routes is { } routes)
            {
                settings["Gateway:RoutesPath"] = Path.GetFullPath(routes);
            }

            builder.Configuration.AddInMemoryCollection(settings);
        });

        var services = app.Services;
        var routesPath = services.GetRequiredService<RoutesFileConfigProvider>().RoutesPath;
        var pinPath = ToolPins.ResolvePath(services.GetRequiredService<IOptions<ToolPinningOptions>>().Value, routesPath, app.Environment.ContentRootPath);
        PinSet pins;
        try
        {
            pins = PinFile.Read(pinPath);
        }
        catch (InvalidDataException ex)
        {
            throw new PinsCommandException(ex.Message);
        }

        var upstreams = services.GetRequiredService<UpstreamDefinitions>().Current;
        if (upstreams.Count == 0)
        {
            throw new PinsCommandException($"{routesPath} declares no upstream MCP servers (Federation.Upstreams); there is nothing to pin");
        }

        var selected = upstreams.Where(u => arguments.Server is null || u.Server == arguments.Server).ToList();
        if (selected.Count == 0)
        {
            throw new PinsCommandException($"{routesPath} has no upstream '{arguments.Server}'; it has: {string.Join(", ", upstreams.Select(u => u.Server))}");
        }

        var transports = services.GetRequiredService<UpstreamTransports>();
        var federation = services.GetRequiredService<IOptions<FederationOptions>>().Value;
        var listings = new List<(UpstreamDefinition Upstream, IReadOnlyList<Tool> Tools)>();
        foreach (var upstream in selected)
        {
            listings.Add((upstream, await ListAsync(upstream, transports, federation)));
        }

        if (arguments.Tool is { } only && !listings.Any(l => l.Tools.Any(t => t.Name == only)))
        {
            throw new PinsCommandException($"no selected upstream lists a tool '{only}' (give the upstream's own tool name, not the gateway's); 'pins list' shows them");
        }

        var by = arguments.By ?? Environment.UserName;
        var now = DateTimeOffset.UtcNow;
        var approved = 0;
        var report = new List<string>();
        foreach (var (upstream, tools) in listings)
        {
            foreach (var tool in tools.Where(t => upstream.Filter.Allows(t.Name)).OrderBy(t => t.Name, StringComparer.Ordinal))
            {
                var hash = ToolDefinitionHash.Compute(tool);
                var pin = pins.Find(upstream.Server, tool.Name);
                var state = pin is null ? "unpinned" : pin.Sha256 == hash ? "pinned" : "CHANGED";
                var name = $"{upstream.Server}/{tool.Name}";
                if (approve && state != "pinned" && (arguments.Tool is null || arguments.Tool == tool.Name))
                {
                    pins = pins.With(upstream.Server, tool.Name, new ToolPin(hash, now, by));
                    approved++;
                    var was = pin is null ? "new pin" : $"definition changed from sha256 {pin.Sha256[..12]}…";
                    report.Add($"approved  {name}  sha256 {hash[..12]}…  ({was}); description: {Describe(tool)}");
                }
                else
                {
                    var detail = state == "CHANGED" ? $"  pinned {pin!.Sha256[..12]}…, now {hash[..12]}…; description: {Describe(tool)}" : $"  sha256 {hash[..12]}…";
                    report.Add($"{state,-9} {name}{detail}");
                }
            }

            var listed = tools.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in pins.ToolsOf(upstream.Server).Where(t => !listed.Contains(t)).Order(StringComparer.Ordinal))
            {
                report.Add($"{"gone",-9} {upstream.Server}/{gone}  (pinned, not listed by the upstream now)");
            }
        }

        if (approve)
        {
            if (approved > 0)
            {
                try
                {
                    PinFile.Write(pinPath, pins);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw new PinsCommandException($"cannot write the pin file {pinPath} ({ex.Message}); nothing was approved");
                }
            }

            report.Add(approved > 0 ? $"{approved} tool definition(s) approved in {pinPath}" : $"nothing to approve: every selected tool matches its pin in {pinPath}");
        }

        // Printed only now: an approval that could not be written must not read as done.
        foreach (var line in report)
        {
            await output.WriteLineAsync(line);
        }

        return Success;
    }

    private static async Task<IReadOnlyList<Tool>> ListAsync(UpstreamDefinition upstream, UpstreamTransports transports, FederationOptions federation)
    {
        await using var session = new UpstreamSession(upstream, transports, federation, NullLoggerFactory.Instance);
        using var timeout = new CancellationTokenSource(federation.ConnectTimeout * 3);
        try
        {
            return await session.ListToolsAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var reason = timeout.IsCancellationRequested ? "it did not answer in time" : ex.Message.ReplaceLineEndings(" ");
            throw new PinsCommandException($"upstream '{upstream.Server}' could not be listed ({reason}); nothing was written");
        }
    }

    private static string Describe(Tool tool)
    {
        var text = (tool.Description ?? "(none)").ReplaceLineEndings(" ");
        return text.Length <= 160 ? $"\"{text}\"" : $"\"{text[..160]}…\"";
    }

    private sealed class PinsCommandException(string message) : Exception(message);
}

/// <summary>The options of <c>pins list|approve</c>.</summary>
internal sealed record PinsArguments(string? Server, string? Tool, string? Routes, string? By)
{
    public static (PinsArguments? Arguments, string? Error) Parse(IReadOnlyList<string> args, bool approve)
    {
        string? server = null, tool = null, routes = null, by = null;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                return (null, name.StartsWith("--", StringComparison.Ordinal) ? $"'{name}' needs a value" : $"unexpected argument '{name}'");
            }

            var value = args[++i];
            switch (name)
            {
                case "--server":
                    server = value;
                    break;
                case "--tool" when approve:
                    tool = value;
                    break;
                case "--routes":
                    routes = value;
                    break;
                case "--by" when approve:
                    by = value;
                    break;
                default:
                    return (null, $"unknown option '{name}'");
            }
        }

        return (new PinsArguments(server, tool, routes, by), null);
    }
}
