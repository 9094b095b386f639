namespace Gateway.Proxy.Hosting;

/// <summary>
/// The operator-facing environment variables (<c>MCP_GATEWAY_*</c>) mapped onto configuration keys, so each
/// setting has one name in appsettings.json and one in the environment, and options validation covers both.
/// </summary>
public static class EnvironmentVariableAliases
{
    public static readonly IReadOnlyDictionary<string, string> Map = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["MCP_GATEWAY_ROUTES_PATH"] = "Gateway:RoutesPath",
        ["MCP_GATEWAY_MCP_STATEFUL"] = "Gateway:Mcp:Stateful",
        ["MCP_GATEWAY_AUDIT_LOG_PATH"] = "Gateway:Audit:Path",
        ["MCP_GATEWAY_AUDIT_SERVICE_URL"] = "Gateway:Audit:AuditServiceUrl",
        ["MCP_GATEWAY_REDIS_URL"] = "Gateway:RateLimiting:RedisUrl",
        ["MCP_GATEWAY_RATE_LIMIT_RPM"] = "Gateway:RateLimiting:DefaultRequestsPerMinute",
        ["MCP_GATEWAY_AUTH_ENABLED"] = "Gateway:Auth:Enabled",
        ["MCP_GATEWAY_OIDC_JWKS_URL"] = "Gateway:Auth:Oidc:JwksUrl",
        ["MCP_GATEWAY_OIDC_ISSUER"] = "Gateway:Auth:Oidc:Issuer",
        ["MCP_GATEWAY_OIDC_AUDIENCE"] = "Gateway:Auth:Oidc:Audience",
        ["MCP_GATEWAY_PUBLIC_ORIGIN"] = "Gateway:Auth:PublicOrigin",
        ["MCP_GATEWAY_API_KEYS_PATH"] = "Gateway:Auth:ApiKeys:Path",
        ["MCP_GATEWAY_TLS_ENABLED"] = "Gateway:Tls:Enabled",
        ["MCP_GATEWAY_TLS_CERT_PATH"] = "Gateway:Tls:CertPath",
        ["MCP_GATEWAY_TLS_KEY_PATH"] = "Gateway:Tls:KeyPath",
        ["MCP_GATEWAY_LOG_FORMAT"] = "Gateway:Logging:Format",
        ["MCP_GATEWAY_LOG_LEVEL"] = "Serilog:MinimumLevel:Default",
    };

    /// <summary>Adds the aliases that are set in the environment, above every other source.</summary>
    public static IConfigurationBuilder AddGatewayEnvironmentAliases(this IConfigurationBuilder configuration)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (variable, key) in Map)
        {
            if (Environment.GetEnvironmentVariable(variable) is { } value)
            {
                values[key] = value;
            }
        }

        return values.Count == 0 ? configuration : configuration.AddInMemoryCollection(values);
    }
}
