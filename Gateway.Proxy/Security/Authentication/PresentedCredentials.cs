namespace Gateway.Proxy.Security.Authentication;

/// <summary>Finds the credential a request carries: a bearer token, or an API key in its header or the Authorization header.</summary>
public static class PresentedCredentials
{
    private const string BearerScheme = "Bearer ";
    private const string ApiKeyScheme = "ApiKey ";

    /// <summary>The token of <c>Authorization: Bearer …</c>, or null.</summary>
    public static string? BearerToken(HttpRequest request) => AuthorizationParameter(request, BearerScheme);

    /// <summary>
    /// An API key from <paramref name="headerName"/>, <c>Authorization: ApiKey …</c>, or <c>Authorization: Bearer mcpgw_…</c>
    /// (for clients that can only send bearer tokens).
    /// </summary>
    public static string? ApiKey(HttpRequest request, string headerName)
    {
        var header = request.Headers[headerName];
        if (header.Count > 0)
        {
            return header.Count == 1 ? header[0]?.Trim() ?? string.Empty : string.Empty;
        }

        if (AuthorizationParameter(request, ApiKeyScheme) is { } key)
        {
            return key;
        }

        var bearer = BearerToken(request);
        return bearer is not null && bearer.StartsWith(Keys.ApiKeyFormat.Prefix, StringComparison.Ordinal) ? bearer : null;
    }

    public static bool HasApiKey(HttpRequest request, string headerName) => ApiKey(request, headerName) is not null;

    private static string? AuthorizationParameter(HttpRequest request, string scheme)
    {
        var values = request.Headers.Authorization;
        if (values.Count != 1 || values[0] is not { } value || !value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return value[scheme.Length..].Trim();
    }
}
