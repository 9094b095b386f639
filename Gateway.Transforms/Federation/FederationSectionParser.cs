using System.Globalization;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Gateway.Transforms.Federation;

/// <summary>
/// Parses the <c>Federation</c> section of routes.json: <c>{ "Upstreams": { "&lt;server&gt;": { ... } } }</c>. Strict
/// like the rest of the file: unknown keys and values of the wrong type are errors, each naming its upstream, never
/// accepted and ignored.
/// </summary>
public static class FederationSectionParser
{
    public const string SectionName = "Federation";
    public const string DefaultSeparator = "__";
    public const string DefaultPath = "/mcp";
    public const string DefaultSsePath = "/sse";

    private static readonly string[] s_upstreamKeys =
    [
        "ClusterId", "Transport", "Path", "ToolNames", "Include", "Exclude", "Tools", "Credential", "SessionScope",
        "AuthorizationPolicy", "RateLimiterPolicy", "Timeout", "Metadata", "Transforms",
        "Command", "Arguments", "Environment", "WorkingDirectory", Pinning.UpstreamPinningParser.Key,
        UpstreamPrimitiveListsParser.ResourcesKey, UpstreamPrimitiveListsParser.PromptsKey,
    ];

    // Keys that mean something only for a network upstream, or only for a process the gateway runs.
    private static readonly string[] s_networkKeys = ["ClusterId", "Path", "Credential"];

    private static readonly string[] s_toolKeys =
    [
        "Name", "Title", "Description", "Annotations", "AuthorizationPolicy", "RateLimiterPolicy", "Timeout", "Metadata", "Transforms",
    ];

    private static readonly string[] s_oauthKeys = ["TokenEndpoint", "ClientId", "Scope", "Resource", "Audience"];

    private static readonly string[] s_credentialKeys = ["Type", "FromEnvironment", "FromFile", "Header", .. s_oauthKeys];

    private static readonly string[] s_stdioKeys = ["Command", "Arguments", "Environment", "WorkingDirectory"];

    private static readonly System.Text.Json.Serialization.Metadata.JsonTypeInfo<ToolAnnotations> s_annotationsType =
        (System.Text.Json.Serialization.Metadata.JsonTypeInfo<ToolAnnotations>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ToolAnnotations));

    public static IReadOnlyList<UpstreamDeclaration> Parse(JsonElement section, List<string> errors)
    {
        if (section.ValueKind != JsonValueKind.Object)
        {
            errors.Add("'Federation' must be an object with an 'Upstreams' object keyed by server name");
            return [];
        }

        var upstreams = new List<UpstreamDeclaration>();
        foreach (var property in section.EnumerateObject())
        {
            if (!string.Equals(property.Name, "Upstreams", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"'Federation.{property.Name}' is not a known key; use 'Upstreams'");
                continue;
            }

            if (property.Value.ValueKind != JsonValueKind.Object)
            {
                errors.Add("'Federation.Upstreams' must be an object keyed by server name");
                continue;
            }

            foreach (var upstream in property.Value.EnumerateObject())
            {
                if (ParseUpstream(upstream.Name, upstream.Value, errors) is { } declaration)
                {
                    upstreams.Add(declaration);
                }
            }
        }

        return upstreams;
    }

    private static UpstreamDeclaration? ParseUpstream(string server, JsonElement element, List<string> errors)
    {
        var owner = $"Upstream '{server}'";
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{owner}: must be a JSON object with at least a 'ClusterId'");
            return null;
        }

        var first = errors.Count;
        var transport = ReadTransport(element, owner, errors);
        var stdio = transport == UpstreamTransport.Stdio;
        foreach (var property in element.EnumerateObject())
        {
            if (!s_upstreamKeys.Contains(property.Name, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add($"{owner}: unknown key '{property.Name}'; allowed: {string.Join(", ", s_upstreamKeys)}");
            }
            else if (!stdio && s_stdioKeys.Contains(property.Name, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add($"{owner}: '{property.Name}' applies to the Stdio transport only; set \"Transport\": \"Stdio\" to have the gateway run the server");
            }
            else if (stdio && s_networkKeys.Contains(property.Name, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add($"{owner}: '{property.Name}' does not apply to the Stdio transport (the gateway runs the server itself; pass secrets in 'Environment')");
            }
        }

        var clusterId = stdio ? UpstreamDeclaration.StdioClusterId(server) : ReadString(element, "ClusterId", owner, errors);
        if (string.IsNullOrWhiteSpace(clusterId))
        {
            errors.Add($"{owner}: 'ClusterId' is required: the YARP cluster (under ReverseProxy.Clusters) whose destinations run the server");
        }

        var process = stdio ? UpstreamProcessParser.Parse(element, owner, errors) : null;
        var path = (stdio ? null : ReadString(element, "Path", owner, errors)) ?? (transport == UpstreamTransport.Sse ? DefaultSsePath : DefaultPath);
        if (!path.StartsWith('/') || path.Contains('?') || path.Contains('#') || path.Any(char.IsControl) || path.Contains(' '))
        {
            errors.Add($"{owner}: 'Path' must be an absolute path on the destinations such as \"/mcp\" (no query, fragment or spaces), got '{path}'");
        }

        var (ns, separator) = ReadToolNames(element, server, owner, errors);
        var include = ReadNames(element, "Include", owner, errors);
        var exclude = ReadNames(element, "Exclude", owner, errors);
        var tools = ReadTools(element, owner, errors);
        var credential = stdio ? UpstreamCredential.None : ReadCredential(element, owner, errors);
        var policy = ReadPolicy(element, owner, errors);
        var unpinned = Pinning.UpstreamPinningParser.Parse(element, owner, errors);
        var scope = ReadSessionScope(element, stdio, owner, errors);
        var resources = UpstreamPrimitiveListsParser.ParseResources(element, owner, errors);
        var prompts = UpstreamPrimitiveListsParser.ParsePrompts(element, owner, errors);
        var resourceUris = UpstreamResourcesParser.Parse(element, owner, errors);
        if (errors.Count > first)
        {
            return null;
        }

        return new UpstreamDeclaration(server, clusterId!, transport, path, ns, separator, include, exclude, tools, credential)
        {
            Policy = policy, Source = element.GetRawText(), Process = process, SessionScope = scope, UnpinnedTools = unpinned,
            Resources = resources, Prompts = prompts, ResourceUris = resourceUris,
        };
    }

    private static UpstreamSessionScope ReadSessionScope(JsonElement element, bool stdio, string owner, List<string> errors)
    {
        var scope = ReadString(element, "SessionScope", owner, errors);
        if (scope is null || string.Equals(scope, nameof(UpstreamSessionScope.Shared), StringComparison.OrdinalIgnoreCase))
        {
            return UpstreamSessionScope.Shared;
        }

        if (!string.Equals(scope, nameof(UpstreamSessionScope.Principal), StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{owner}: unknown SessionScope '{scope}'; use 'Shared' (one session for all callers, the default) or 'Principal' (one per verified caller)");
        }
        else if (stdio)
        {
            errors.Add($"{owner}: SessionScope 'Principal' needs a StreamableHttp upstream: over Stdio the gateway runs one process and has one session with it. Remove 'SessionScope' or serve the server over Streamable HTTP");
        }

        return UpstreamSessionScope.Principal;
    }

    private static UpstreamTransport ReadTransport(JsonElement element, string owner, List<string> errors)
    {
        var transport = ReadString(element, "Transport", owner, errors);
        if (transport is null || string.Equals(transport, nameof(UpstreamTransport.StreamableHttp), StringComparison.OrdinalIgnoreCase))
        {
            return UpstreamTransport.StreamableHttp;
        }

        if (string.Equals(transport, nameof(UpstreamTransport.Stdio), StringComparison.OrdinalIgnoreCase))
        {
            return UpstreamTransport.Stdio;
        }

        if (string.Equals(transport, nameof(UpstreamTransport.Sse), StringComparison.OrdinalIgnoreCase))
        {
            return UpstreamTransport.Sse;
        }

        errors.Add($"{owner}: unknown transport '{transport}'; use 'StreamableHttp', 'Sse' (the legacy HTTP+SSE transport) or 'Stdio'");
        return UpstreamTransport.StreamableHttp;
    }

    private static (string Namespace, string Separator) ReadToolNames(JsonElement element, string server, string owner, List<string> errors)
    {
        if (!TryGet(element, "ToolNames", out var names))
        {
            return (server, DefaultSeparator);
        }

        if (names.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{owner}: 'ToolNames' must be an object such as {{ \"Namespace\": \"{server}\", \"Separator\": \"__\" }}");
            return (server, DefaultSeparator);
        }

        foreach (var property in names.EnumerateObject())
        {
            if (!property.NameEquals("Namespace") && !property.NameEquals("Separator")
                && !property.Name.Equals("Namespace", StringComparison.OrdinalIgnoreCase) && !property.Name.Equals("Separator", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"{owner}: unknown key 'ToolNames.{property.Name}'; allowed: Namespace, Separator");
            }
        }

        var ns = ReadString(names, "Namespace", owner + " 'ToolNames'", errors) ?? server;
        var separator = ReadString(names, "Separator", owner + " 'ToolNames'", errors) ?? DefaultSeparator;
        if (!UpstreamToolNames.IsValidSeparator(separator))
        {
            errors.Add($"{owner}: 'ToolNames.Separator' '{separator}' is invalid; use 1-{UpstreamToolNames.MaxSeparatorLength} of the characters '_', '-', '.' (default \"__\")");
        }

        if (ns.Length > 0 && !UpstreamToolNames.IsValidNamespace(ns))
        {
            errors.Add($"{owner}: 'ToolNames.Namespace' '{ns}' is invalid; use 1-{UpstreamToolNames.MaxNamespaceLength} characters from A-Z, a-z, 0-9, '_', '-', '.', or \"\" for the upstream's own names");
        }

        return (ns, separator);
    }

    /// <param name="label">How errors name the list (default <paramref name="key"/>), e.g. <c>Resources.Include</c>.</param>
    /// <param name="what">What its entries are, for the error about a list that is not an array.</param>
    internal static IReadOnlyList<string> ReadNames(
        JsonElement element, string key, string owner, List<string> errors, string? label = null, string what = "upstream tool names")
    {
        if (!TryGet(element, key, out var list))
        {
            return [];
        }

        key = label ?? key;
        if (list.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"{owner}: '{key}' must be an array of {what} (a trailing '*' matches any ending)");
            return [];
        }

        var names = new List<string>();
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString() is not { Length: > 0 } name)
            {
                errors.Add($"{owner}: '{key}' entries must be non-empty strings");
                continue;
            }

            if (name.IndexOf('*') is var star and >= 0 && star != name.Length - 1)
            {
                errors.Add($"{owner}: '{key}' entry '{name}' may use '*' only at its end");
                continue;
            }

            names.Add(name);
        }

        return names;
    }

    private static IReadOnlyList<UpstreamToolOverride> ReadTools(JsonElement element, string owner, List<string> errors)
    {
        if (!TryGet(element, "Tools", out var tools))
        {
            return [];
        }

        if (tools.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{owner}: 'Tools' must be an object keyed by the upstream's tool name");
            return [];
        }

        var overrides = new List<UpstreamToolOverride>();
        foreach (var tool in tools.EnumerateObject())
        {
            var toolOwner = $"{owner}, tool '{tool.Name}'";
            if (tool.Value.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"{toolOwner}: must be a JSON object (keys: {string.Join(", ", s_toolKeys)})");
                continue;
            }

            var first = errors.Count;
            foreach (var property in tool.Value.EnumerateObject())
            {
                if (!s_toolKeys.Contains(property.Name, StringComparer.OrdinalIgnoreCase))
                {
                    errors.Add($"{toolOwner}: unknown key '{property.Name}'; allowed: {string.Join(", ", s_toolKeys)}");
                }
            }

            var name = ReadString(tool.Value, "Name", toolOwner, errors);
            var title = ReadString(tool.Value, "Title", toolOwner, errors);
            var description = ReadString(tool.Value, "Description", toolOwner, errors);
            ToolAnnotations? annotations = null;
            if (TryGet(tool.Value, "Annotations", out var annotationsElement))
            {
                try
                {
                    annotations = annotationsElement.ValueKind == JsonValueKind.Object
                        ? annotationsElement.Deserialize(s_annotationsType)
                        : throw new JsonException("must be an object");
                }
                catch (JsonException ex)
                {
                    errors.Add($"{toolOwner}: 'Annotations' is invalid: {ex.Message.Split(" Path:")[0]}");
                }
            }

            var policy = ReadPolicy(tool.Value, toolOwner, errors);
            if (errors.Count == first)
            {
                overrides.Add(new UpstreamToolOverride(tool.Name, name, title, description, annotations) { Policy = policy });
            }
        }

        return overrides;
    }

    private static UpstreamCredential ReadCredential(JsonElement element, string owner, List<string> errors)
    {
        if (!TryGet(element, "Credential", out var credential))
        {
            return UpstreamCredential.None;
        }

        if (credential.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{owner}: 'Credential' must be an object such as {{ \"Type\": \"Bearer\", \"FromEnvironment\": \"UPSTREAM_TOKEN\" }}");
            return UpstreamCredential.None;
        }

        foreach (var property in credential.EnumerateObject())
        {
            if (!s_credentialKeys.Contains(property.Name, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add($"{owner}: unknown key 'Credential.{property.Name}'; allowed: {string.Join(", ", s_credentialKeys)}");
            }
        }

        var credentialOwner = owner + " 'Credential'";
        var typeText = ReadString(credential, "Type", credentialOwner, errors);
        var fromEnvironment = ReadString(credential, "FromEnvironment", credentialOwner, errors);
        var fromFile = ReadString(credential, "FromFile", credentialOwner, errors);
        var header = ReadString(credential, "Header", credentialOwner, errors);

        UpstreamCredentialType type;
        if (typeText is null)
        {
            errors.Add($"{owner}: 'Credential.Type' is required: None, Bearer, ApiKeyHeader or OAuthClientCredentials");
            return UpstreamCredential.None;
        }
        else if (!Configuration.EnumNames.TryParse(typeText, out type))
        {
            errors.Add($"{owner}: unknown credential type '{typeText}'; use None, Bearer, ApiKeyHeader or OAuthClientCredentials");
            return UpstreamCredential.None;
        }

        if (type != UpstreamCredentialType.OAuthClientCredentials)
        {
            foreach (var key in s_oauthKeys.Where(k => TryGet(credential, k, out _)))
            {
                errors.Add($"{owner}: 'Credential.{key}' applies only to the OAuthClientCredentials type");
            }
        }

        if (type == UpstreamCredentialType.None)
        {
            if (fromEnvironment is not null || fromFile is not null || header is not null)
            {
                errors.Add($"{owner}: credential type None takes no FromEnvironment, FromFile or Header");
            }

            return UpstreamCredential.None;
        }

        if ((fromEnvironment is null) == (fromFile is null))
        {
            var (article, secret) = type == UpstreamCredentialType.OAuthClientCredentials ? ("an", "the client secret") : ("a", "the secret");
            errors.Add($"{owner}: {article} {type} credential needs exactly one of 'FromEnvironment' (a variable name) or 'FromFile' (a path) holding {secret}; it never goes into routes.json");
        }

        if (type == UpstreamCredentialType.ApiKeyHeader)
        {
            if (string.IsNullOrEmpty(header))
            {
                errors.Add($"{owner}: an ApiKeyHeader credential needs 'Header', e.g. \"X-Api-Key\"");
            }
            else if (!Mapping.HeaderFieldName.IsToken(header) || Mapping.HeaderFieldName.IsGatewayNamespace(header)
                || header.Equals("Authorization", StringComparison.OrdinalIgnoreCase) || header.StartsWith("Mcp-", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"{owner}: 'Credential.Header' '{header}' cannot carry the credential; use a header name of your own such as X-Api-Key (Authorization is the Bearer type; X-Gateway-* and Mcp-* belong to the gateway and the protocol)");
            }
        }
        else if (header is not null)
        {
            errors.Add($"{owner}: 'Credential.Header' applies only to the ApiKeyHeader type");
        }

        var oauth = type == UpstreamCredentialType.OAuthClientCredentials ? ReadOAuthGrant(credential, owner, errors) : null;
        return new UpstreamCredential(type, fromEnvironment, fromFile, header) { OAuth = oauth };
    }

    private static OAuthClientCredentialsGrant? ReadOAuthGrant(JsonElement credential, string owner, List<string> errors)
    {
        var credentialOwner = owner + " 'Credential'";
        var endpointText = ReadString(credential, "TokenEndpoint", credentialOwner, errors);
        var clientId = ReadString(credential, "ClientId", credentialOwner, errors);
        var scope = ReadString(credential, "Scope", credentialOwner, errors);
        var resourceText = ReadString(credential, "Resource", credentialOwner, errors);
        var audience = ReadString(credential, "Audience", credentialOwner, errors);
        var first = errors.Count;

        Uri? endpoint = null;
        if (endpointText is null)
        {
            errors.Add($"{owner}: an OAuthClientCredentials credential needs 'TokenEndpoint', the authorization server's token URL such as \"https://login.example.com/oauth2/token\"");
        }
        else if (!Uri.TryCreate(endpointText, UriKind.Absolute, out endpoint) || !IsAllowedTokenEndpoint(endpoint))
        {
            errors.Add($"{owner}: 'Credential.TokenEndpoint' '{endpointText}' must be an absolute https URL without user info or fragment (http only on a loopback address such as 127.0.0.1)");
        }

        if (string.IsNullOrWhiteSpace(clientId) || clientId.Any(char.IsControl))
        {
            errors.Add($"{owner}: an OAuthClientCredentials credential needs 'ClientId', the client id the authorization server issued");
        }

        if (scope is not null && (scope.Split(' ') is var tokens && tokens.Any(t => t.Length == 0 || !t.All(IsScopeTokenChar))))
        {
            errors.Add($"{owner}: 'Credential.Scope' must be space-separated scope tokens (RFC 6749 section 3.3), got '{scope}'");
        }

        Uri? resource = null;
        if (resourceText is not null && (!Uri.TryCreate(resourceText, UriKind.Absolute, out resource) || resource.Fragment.Length > 0))
        {
            errors.Add($"{owner}: 'Credential.Resource' must be an absolute URI without fragment (RFC 8707), such as the upstream's base URL; got '{resourceText}'");
        }

        if (audience is not null && (audience.Length == 0 || audience.Any(char.IsControl)))
        {
            errors.Add($"{owner}: 'Credential.Audience' must be a non-empty single-line string");
        }

        return errors.Count == first ? new OAuthClientCredentialsGrant(endpoint!, clientId!, scope, resource, audience) : null;
    }

    // RFC 6749 section 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
    private static bool IsScopeTokenChar(char c) => c is >= '\x21' and <= '\x7E' and not '"' and not '\\';

    // The client secret is sent there: never in clear text over a network, never to a URL that embeds credentials.
    private static bool IsAllowedTokenEndpoint(Uri endpoint) =>
        endpoint.UserInfo.Length == 0 && endpoint.Fragment.Length == 0
        && (endpoint.Scheme == Uri.UriSchemeHttps || (endpoint.Scheme == Uri.UriSchemeHttp && endpoint.IsLoopback));

    private static UpstreamRoutePolicy ReadPolicy(JsonElement element, string owner, List<string> errors)
    {
        var authorizationPolicy = ReadString(element, "AuthorizationPolicy", owner, errors);
        var rateLimiterPolicy = ReadString(element, "RateLimiterPolicy", owner, errors);
        TimeSpan? timeout = null;
        if (ReadString(element, "Timeout", owner, errors) is { } timeoutText)
        {
            if (TimeSpan.TryParse(timeoutText, CultureInfo.InvariantCulture, out var parsed) && parsed > TimeSpan.Zero)
            {
                timeout = parsed;
            }
            else
            {
                errors.Add($"{owner}: 'Timeout' must be a positive time span such as \"00:00:30\", got '{timeoutText}'");
            }
        }

        Dictionary<string, string>? metadata = null;
        if (TryGet(element, "Metadata", out var metadataElement))
        {
            metadata = ReadStringMap(metadataElement, owner, "Metadata", errors);
        }

        List<IReadOnlyDictionary<string, string>>? transforms = null;
        if (TryGet(element, "Transforms", out var transformsElement))
        {
            transforms = [];
            if (transformsElement.ValueKind != JsonValueKind.Array)
            {
                errors.Add($"{owner}: 'Transforms' must be an array of validator entries such as {{ \"ValidateCypher\": \"query\" }}");
            }
            else
            {
                foreach (var entry in transformsElement.EnumerateArray())
                {
                    if (ReadStringMap(entry, owner, "Transforms", errors) is { } map)
                    {
                        transforms.Add(map);
                    }
                }
            }
        }

        var policy = new UpstreamRoutePolicy(authorizationPolicy, rateLimiterPolicy, timeout, metadata, transforms);
        return policy.IsEmpty ? UpstreamRoutePolicy.Empty : policy;
    }

    private static Dictionary<string, string>? ReadStringMap(JsonElement element, string owner, string key, List<string> errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{owner}: '{key}' entries must be objects of string values");
            return null;
        }

        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                errors.Add($"{owner}: '{key}.{property.Name}' must be a string");
                continue;
            }

            map[property.Name] = property.Value.GetString()!;
        }

        return map;
    }

    private static string? ReadString(JsonElement element, string key, string owner, List<string> errors)
    {
        if (!TryGet(element, key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        errors.Add($"{owner}: '{key}' must be a string");
        return null;
    }

    /// <summary>A key of a routes.json object, found as the gateway reads every key: case-insensitively.</summary>
    internal static bool TryGet(JsonElement element, string key, out JsonElement value)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, key, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }
}
