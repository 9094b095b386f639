using System.Text.Json.Serialization;

namespace Gateway.Proxy.Observability.Audit;

/// <summary>Source-generated serialization of audit entries.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    // A NaN latency must not make a whole batch unserializable.
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(AuditEntry))]
public sealed partial class AuditJsonContext : JsonSerializerContext;
