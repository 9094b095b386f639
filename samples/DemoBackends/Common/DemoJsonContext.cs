using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using DemoBackends.AiAgents;
using DemoBackends.AiAgents.Graph;
using DemoBackends.CodeOrchestrator;
using DemoBackends.LlmGateway;
using DemoBackends.SemanticSearch;

namespace DemoBackends.Common;

/// <summary>Source-generated JSON contract of all four backends: snake_case names, nulls omitted.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(HealthStatus))]
[JsonSerializable(typeof(EchoResponse))]
[JsonSerializable(typeof(CompletionRequest))]
[JsonSerializable(typeof(CompletionResponse))]
[JsonSerializable(typeof(SearchRequest))]
[JsonSerializable(typeof(HybridSearchRequest))]
[JsonSerializable(typeof(SearchResponse))]
[JsonSerializable(typeof(SearchDocument))]
[JsonSerializable(typeof(CollectionsResponse))]
[JsonSerializable(typeof(GraphQueryRequest))]
[JsonSerializable(typeof(GraphQueryResult))]
[JsonSerializable(typeof(AgentFunctionRequest))]
[JsonSerializable(typeof(AgentFunctionResponse))]
[JsonSerializable(typeof(DiscussionRequest))]
[JsonSerializable(typeof(DiscussionResponse))]
[JsonSerializable(typeof(AgentExecuteRequest))]
[JsonSerializable(typeof(AgentExecuteResponse))]
[JsonSerializable(typeof(AnalyzeRequest))]
[JsonSerializable(typeof(FileAnalysis))]
[JsonSerializable(typeof(DirectoryAnalysis))]
[JsonSerializable(typeof(AuditRequest))]
[JsonSerializable(typeof(AuditResponse))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(long))]
internal sealed partial class DemoJsonContext : JsonSerializerContext;

/// <summary>The contract with relaxed escaping, so excerpts and messages keep their quotes readable ("'", '"', '+').</summary>
internal static class DemoJson
{
    public static DemoJsonContext Context { get; } = new(new JsonSerializerOptions(DemoJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = null,
    });
}
