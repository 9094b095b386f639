using System.Text;
using Gateway.Transforms.Catalog;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Mcp;

/// <summary>
/// The <c>instructions</c> of the <c>initialize</c> result: <c>Gateway:Mcp:Instructions</c> when set, otherwise a short
/// summary of the current catalog (which backends, which tools) and how errors come back, so a model knows what the
/// gateway offers before it reads every tool description.
/// </summary>
public sealed class ServerInstructions
{
    public const int MaxLength = 4096;

    private readonly ToolCatalogHolder _catalog;
    private readonly IOptionsMonitor<McpOptions> _options;

    public ServerInstructions(ToolCatalogHolder catalog, IOptionsMonitor<McpOptions> options)
    {
        _catalog = catalog;
        _options = options;
    }

    public string Current => _options.CurrentValue.Instructions is { Length: > 0 } configured ? configured : FromCatalog(_catalog.Current);

    public static string FromCatalog(ToolCatalog catalog)
    {
        if (catalog.Tools.Count == 0)
        {
            return "This MCP gateway has no tools configured right now; call tools/list again later.";
        }

        var text = new StringBuilder("This MCP gateway fronts internal services as tools. By backend: ");
        var first = true;
        foreach (var backend in catalog.Tools.GroupBy(t => t.ClusterId, StringComparer.Ordinal))
        {
            text.Append(first ? "" : "; ").Append(backend.Key).Append(" (").AppendJoin(", ", backend.Select(t => t.Name)).Append(')');
            first = false;
        }

        text.Append(". Each tool's description and inputSchema say what it does and which values it accepts. ")
            .Append("A result with isError: true starts with an error code and says what was wrong (which argument, which limit, ")
            .Append("when to retry); fix the call and try again.");
        return text.ToString();
    }
}
