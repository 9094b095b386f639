namespace Gateway.Proxy.Security;

/// <summary>Names used for scopes, roles, tiers and tenants: printable ASCII without spaces, quotes, backslashes or commas.</summary>
internal static class ScopeToken
{
    public static bool IsValid(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 256)
        {
            return false;
        }

        foreach (var c in value)
        {
            // RFC 6749 scope-token characters minus ',' (our list separator).
            if (c is < '!' or > '~' or '"' or '\\' or ',')
            {
                return false;
            }
        }

        return true;
    }
}
