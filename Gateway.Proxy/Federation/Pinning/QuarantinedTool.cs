using Gateway.Transforms.Catalog;
using Gateway.Transforms.Federation.Pinning;
using Gateway.Transforms.Pipeline;

namespace Gateway.Proxy.Federation.Pinning;

public enum QuarantineReason
{
    /// <summary>The upstream lists a definition other than the one approved: a possible rug pull.</summary>
    DefinitionChanged,

    /// <summary>Never approved, and the upstream's unpinned policy is Quarantine.</summary>
    NotApproved,
}

/// <summary>An upstream tool held back from the catalog: the entry it would have had, and why it is held.</summary>
public sealed record QuarantinedTool(ToolDefinition Tool, string Server, string UpstreamName, string CurrentSha256, ToolPin? Pin, QuarantineReason Reason)
{
    public const string DefinitionChangedFlag = "tool_definition_changed";
    public const string NotApprovedFlag = "tool_not_approved";

    public string ReasonLabel => Reason == QuarantineReason.DefinitionChanged ? "definition_changed" : "not_approved";

    public string ApproveCommand => $"dotnet Gateway.Proxy.dll pins approve --server {Server} --tool {UpstreamName}";

    /// <summary>An <c>isError</c> result (the model reads it) naming the tool, why it is held and how an operator releases it.</summary>
    public GatewayRejection Rejection => new(
        StatusCodes.Status403Forbidden,
        GatewayErrorCodes.ToolQuarantined,
        Reason == QuarantineReason.DefinitionChanged
            ? $"Tool '{Tool.Name}' is quarantined: its definition on upstream MCP server '{Server}' changed since it was approved (approved sha256 {Pin!.Sha256[..12]}…, now {CurrentSha256[..12]}…). Do not rely on it; an operator must review the change and approve it with: {ApproveCommand}"
            : $"Tool '{Tool.Name}' of upstream MCP server '{Server}' is quarantined until an operator approves its definition (its upstream's unpinned tools are quarantined); approve it with: {ApproveCommand}",
        RejectionKind.ToolError)
    {
        SecurityFlag = Reason == QuarantineReason.DefinitionChanged ? DefinitionChangedFlag : NotApprovedFlag,
    };
}
