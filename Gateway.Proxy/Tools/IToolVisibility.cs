using System.Security.Claims;
using Gateway.Transforms.Catalog;

namespace Gateway.Proxy.Tools;

/// <summary>Decides whether a caller may see (and therefore call) a tool.</summary>
public interface IToolVisibility
{
    bool IsVisible(ClaimsPrincipal user, ToolDefinition tool);
}

/// <summary>Every tool is visible: the default until per-tool authorization is configured.</summary>
public sealed class AllToolsVisible : IToolVisibility
{
    public bool IsVisible(ClaimsPrincipal user, ToolDefinition tool) => true;
}
