namespace Gateway.Proxy.Security.Authorization;

/// <summary>Reads a route's <see cref="AccessRequirement"/> from its metadata, reporting every problem.</summary>
public static class AccessRequirementParser
{
    /// <summary>Known gateway metadata keys owned by other features (they are not access rules).</summary>
    private static readonly HashSet<string> s_otherGatewayKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        Gateway.Transforms.Configuration.RoutesDocumentParser.ToolMetadataKey,
    };

    /// <param name="extraKnownKeys">Gateway.* keys that other features of the gateway read.</param>
    public static AccessRequirement Parse(
        IReadOnlyDictionary<string, string>? metadata,
        string? authorizationPolicy,
        TierOrder tiers,
        IReadOnlySet<string> extraKnownKeys,
        List<string> errors)
    {
        var isAnonymous = string.Equals(authorizationPolicy, "Anonymous", StringComparison.OrdinalIgnoreCase);
        if (metadata is null || metadata.Count == 0)
        {
            return isAnonymous ? AccessRequirement.Anonymous : AccessRequirement.None;
        }

        string[] scopes = [], roles = [], tenants = [];
        string? minimumTier = null;
        var rank = -1;
        foreach (var (key, value) in metadata)
        {
            if (key.Equals(RouteAccessMetadata.RequiredScopes, StringComparison.OrdinalIgnoreCase))
            {
                scopes = ParseList(key, value, errors);
            }
            else if (key.Equals(RouteAccessMetadata.RequiredRoles, StringComparison.OrdinalIgnoreCase))
            {
                roles = ParseList(key, value, errors);
            }
            else if (key.Equals(RouteAccessMetadata.Tenants, StringComparison.OrdinalIgnoreCase))
            {
                tenants = ParseList(key, value, errors);
            }
            else if (key.Equals(RouteAccessMetadata.MinimumTier, StringComparison.OrdinalIgnoreCase))
            {
                minimumTier = value.Trim();
                rank = tiers.RankOf(minimumTier);
                if (rank < 0)
                {
                    errors.Add($"metadata '{key}' is '{value}', which is not a tier; use one of {string.Join(", ", tiers.Names)} (Gateway:Auth:Tiers)");
                }
            }
            else if (key.StartsWith(RouteAccessMetadata.GatewayPrefix, StringComparison.OrdinalIgnoreCase)
                && !s_otherGatewayKeys.Contains(key) && !extraKnownKeys.Contains(key))
            {
                errors.Add($"metadata key '{key}' is unknown; access rules use {string.Join(", ", RouteAccessMetadata.Keys)}");
            }
        }

        if (isAnonymous && (scopes.Length > 0 || roles.Length > 0 || minimumTier is not null || tenants.Length > 0))
        {
            errors.Add("AuthorizationPolicy 'Anonymous' cannot be combined with Gateway.RequiredScopes, RequiredRoles, MinimumTier or Tenants");
        }

        return isAnonymous ? AccessRequirement.Anonymous : new AccessRequirement(scopes, roles, minimumTier, rank, tenants);
    }

    private static string[] ParseList(string key, string value, List<string> errors)
    {
        var items = value.Split(',', StringSplitOptions.TrimEntries);
        foreach (var item in items)
        {
            if (!ScopeToken.IsValid(item))
            {
                errors.Add($"metadata '{key}' has the entry '{item}'; list names separated by commas, without spaces or quotes inside a name (e.g. \"tools:call,graph:read\")");
                return [];
            }
        }

        return items.Distinct(StringComparer.Ordinal).ToArray();
    }
}
