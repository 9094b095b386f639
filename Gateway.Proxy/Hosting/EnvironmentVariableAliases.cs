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
        ["MCP_GATEWAY_MANAGEMENT_PORT"] = ManagementOptions.PortKey,
        ["MCP_GATEWAY_PATH_BASE"] = "Gateway:Ingress:PathBase",
        ["MCP_GATEWAY_DRAIN_TIMEOUT"] = "Gateway:Resilience:DrainTimeout",
        ["MCP_GATEWAY_PRESTOP_DELAY"] = "Gateway:Resilience:PreStopDelay",
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
        ["MCP_GATEWAY_LOG_LEVEL"] = Observability.GatewayLogging.LevelKey,
    };

    /// <summary>Adds the aliases that are set in the environment, above every other source.</summary>
    public static IConfigurationBuilder AddGatewayEnvironmentAliases(this IConfigurationBuilder configuration)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (variable, key) in Map)
        {
            if (Environment.GetEnvironmentVariable(variable) is { } value)
            {
                values[key] = key == Observability.GatewayLogging.LevelKey ? SerilogLevel(value) : value;
            }
        }

        if (ListenUrl(Environment.GetEnvironmentVariable("MCP_GATEWAY_HOST"), Environment.GetEnvironmentVariable("MCP_GATEWAY_PORT")) is { } url)
        {
            values[WebHostDefaults.ServerUrlsKey] = url;
        }

        return values.Count == 0 ? configuration : configuration.AddInMemoryCollection(values);
    }

    /// <summary>MCP_GATEWAY_LOG_LEVEL once took Microsoft.Extensions.Logging's names; the two that Serilog names differently still work.</summary>
    private static string SerilogLevel(string level) =>
        level.Equals("Trace", StringComparison.OrdinalIgnoreCase) ? "Verbose"
        : level.Equals("Critical", StringComparison.OrdinalIgnoreCase) ? "Fatal"
        : level;

    /// <summary>
    /// MCP_GATEWAY_HOST and MCP_GATEWAY_PORT as a Kestrel URL (either may be left out: 127.0.0.1 and 8087), or null
    /// when neither is set so <c>--urls</c> and ASPNETCORE_URLS apply.
    /// </summary>
    public static string? ListenUrl(string? host, string? port)
    {
        if (string.IsNullOrEmpty(host) && string.IsNullOrEmpty(port))
        {
            return null;
        }

        var portNumber = GatewayApplication.DefaultPort;
        if (!string.IsNullOrEmpty(port) && (!int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out portNumber) || portNumber is < 1 or > 65535))
        {
            throw new StartupConfigurationException($"MCP_GATEWAY_PORT is '{port}'; use a port number from 1 to 65535, e.g. 8087.");
        }

        host = string.IsNullOrEmpty(host) ? "127.0.0.1" : host;
        var bracketed = host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
        return $"http://{bracketed}:{portNumber.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
    }
}
