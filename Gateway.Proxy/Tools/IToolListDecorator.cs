using Gateway.Transforms.Catalog;
using ModelContextProtocol.Protocol;

namespace Gateway.Proxy.Tools;

/// <summary>
/// Adjusts how a visible tool appears in <c>tools/list</c> and <c>GET /tools</c> (e.g. flagged or left out while its
/// backend is down). Unlike <see cref="IToolVisibility"/> it never affects whether the tool may be called.
/// </summary>
public interface IToolListDecorator
{
    /// <summary>Returns the tool as it should be listed (<paramref name="listed"/> itself or a copy), or null to leave it out.</summary>
    Tool? Decorate(ToolDefinition tool, Tool listed);
}

/// <summary>All registered <see cref="IToolListDecorator"/>s, applied in registration order.</summary>
public sealed class ToolListDecorations
{
    private readonly IToolListDecorator[] _decorators;

    public ToolListDecorations(IEnumerable<IToolListDecorator> decorators) => _decorators = decorators.ToArray();

    public Tool? Apply(ToolDefinition tool)
    {
        Tool? listed = tool.ProtocolTool;
        for (var i = 0; i < _decorators.Length && listed is not null; i++)
        {
            listed = _decorators[i].Decorate(tool, listed);
        }

        return listed;
    }
}
