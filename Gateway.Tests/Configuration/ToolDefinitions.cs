using System.Text.Json;
using Gateway.Transforms.Catalog;
using Gateway.Transforms.Schema;
using ModelContextProtocol.Protocol;

namespace Gateway.Tests.Configuration;

internal static class ToolDefinitions
{
    public static ToolDefinition Create(string name, string cluster, string inputSchema = """{"type":"object"}""", string? outputSchema = null)
    {
        var input = ToolSchema.Compile(JsonDocument.Parse(inputSchema).RootElement, out _);
        var output = outputSchema is null ? null : ToolSchema.Compile(JsonDocument.Parse(outputSchema).RootElement, ToolSchemaRole.Output, out _);
        return new ToolDefinition(name, name, cluster, input, output, new Tool { Name = name, InputSchema = input.Source, OutputSchema = output?.Source });
    }
}
