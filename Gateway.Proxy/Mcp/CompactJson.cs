using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ModelContextProtocol;

namespace Gateway.Proxy.Mcp;

/// <summary>
/// JSON as the gateway writes it to MCP clients: escaped only where JSON or safe transport needs it. The SDK's default
/// encoder is HTML-safe (<c>"</c> becomes <c>\u0022</c>, every non-ASCII letter six characters), which a model pays
/// for in its context on every tool result; these answers are never embedded in HTML. Still escaped: <c>"</c> and
/// <c>\</c> (JSON), control characters including DEL and C1 (JSON, terminals, SSE line breaks), U+2028/U+2029 (line
/// breaks to JavaScript), lone surrogates, private-use and unassigned code points, and characters outside the BMP.
/// </summary>
public static class CompactJson
{
    public static JavaScriptEncoder Encoder => JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    public static JsonSerializerOptions Options { get; } = new(McpJsonUtilities.DefaultOptions) { Encoder = Encoder };

    public static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));
}
