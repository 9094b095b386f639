using System.Text.Json;
using ModelContextProtocol.Protocol;

namespace Gateway.Transforms.Configuration;

/// <summary>The <c>Tool</c> object of a route in routes.json, before validation.</summary>
public sealed record ToolDeclaration(
    string RouteId,
    string Name,
    string? Title,
    string? Description,
    ToolAnnotations? Annotations,
    JsonElement InputSchema,
    JsonElement? OutputSchema);
