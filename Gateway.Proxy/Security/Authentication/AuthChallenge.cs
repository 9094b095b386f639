using System.Text;
using Gateway.Proxy.Mcp;
using Gateway.Proxy.Pipeline;
using Gateway.Proxy.Security.Authorization;
using Gateway.Proxy.Security.Metadata;
using Gateway.Transforms.Pipeline;
using Microsoft.Net.Http.Headers;

namespace Gateway.Proxy.Security.Authentication;

/// <summary>
/// The 401 and 403 answers of the MCP authorization spec: <c>WWW-Authenticate: Bearer resource_metadata="…"</c>
/// (RFC 9728), with <c>error="invalid_token"</c> when a credential was presented and <c>error="insufficient_scope"</c>
/// plus <c>scope="…"</c> on 403. The body is a JSON-RPC error on the MCP endpoints and the REST error shape elsewhere.
/// </summary>
public sealed class AuthChallenge
{
    private readonly ResourceIdentity _resource;
    private readonly SecurityEvents _events;
    private readonly CallerIdentityResolver _callers;
    private readonly SecurityOptions _options;

    public AuthChallenge(ResourceIdentity resource, SecurityEvents events, CallerIdentityResolver callers, Microsoft.Extensions.Options.IOptions<SecurityOptions> options)
    {
        _options = options.Value;
        _resource = resource;
        _events = events;
        _callers = callers;
    }

    /// <summary>Answers 401 and records the failure (metric and security log).</summary>
    public Task WriteUnauthorizedAsync(HttpContext context, AuthFailure failure)
    {
        _events.AuthenticationFailed(context, failure);
        var message = failure.Reason == AuthFailureReasons.Missing
            ? HowToAuthenticate(context.Request)
            : $"Unauthorized: {failure.Description}";
        return WriteAsync(context, Unauthorized(context.Request, failure), StatusCodes.Status401Unauthorized, GatewayErrorCodes.Unauthorized, message, failure.Reason);
    }

    /// <summary>The rejection a pipeline step returns for an unauthenticated call (rendered by the pipeline).</summary>
    public GatewayRejection UnauthorizedRejection(HttpContext context, AuthFailure failure)
    {
        _events.AuthenticationFailed(context, failure);
        return new GatewayRejection(StatusCodes.Status401Unauthorized, GatewayErrorCodes.Unauthorized,
            $"Unauthorized: {failure.Description}", RejectionKind.ProtocolError)
        {
            Headers = new Dictionary<string, string> { [HeaderNames.WWWAuthenticate] = Unauthorized(context.Request, failure) },
            Data = new Dictionary<string, object?> { ["reason"] = failure.Reason },
        };
    }

    /// <summary>The 403 rejection for a caller who lacks what a route requires.</summary>
    public GatewayRejection ForbiddenRejection(HttpContext context, IReadOnlyList<string> requiredScopes, string message)
    {
        var data = new Dictionary<string, object?> { ["reason"] = AuthFailureReasons.Forbidden };
        if (requiredScopes.Count > 0)
        {
            data["required_scopes"] = requiredScopes.ToArray();
        }

        return new GatewayRejection(StatusCodes.Status403Forbidden, GatewayErrorCodes.Forbidden, message, RejectionKind.ToolError)
        {
            Headers = new Dictionary<string, string> { [HeaderNames.WWWAuthenticate] = Forbidden(context.Request, requiredScopes) },
            Data = data,
        };
    }

    /// <summary>Answers 403 for ASP.NET authorization policies (a YARP route's AuthorizationPolicy).</summary>
    public Task WriteForbiddenAsync(HttpContext context)
    {
        _events.AccessDenied(context, context.GetEndpoint()?.DisplayName ?? context.Request.Path.Value ?? "/", SubjectOf(context), "authorization policy not met");
        return WriteForbiddenAsync(context, [], "Forbidden: your credential does not grant access to this resource.");
    }

    /// <summary>Answers 403 naming the scopes that would grant access (the caller logs the denial).</summary>
    public Task WriteForbiddenAsync(HttpContext context, IReadOnlyList<string> requiredScopes, string message) =>
        WriteAsync(context, Forbidden(context.Request, requiredScopes), StatusCodes.Status403Forbidden, GatewayErrorCodes.Forbidden,
            message, AuthFailureReasons.Forbidden);

    /// <summary>The 401 message for a request without a credential: the ways this gateway accepts, and where to get one.</summary>
    public string HowToAuthenticate(HttpRequest request)
    {
        var apiKey = _options.ApiKeys.Enabled ? $"an API key in the '{_options.ApiKeys.HeaderName}' header" : null;
        if (!_options.HasAuthorizationServer)
        {
            return $"Authentication required: send {apiKey ?? "a credential"}. This gateway accepts no OAuth tokens (it has no authorization server); " +
                "an operator issues keys with 'keys create'.";
        }

        var bearer = _resource.TryGetMetadataUrl(request, out var metadata)
            ? $"'Authorization: Bearer <access token>' (how to get one: {metadata})"
            : "'Authorization: Bearer <access token>'";
        return apiKey is null ? $"Authentication required: send {bearer}." : $"Authentication required: send {bearer} or {apiKey}.";
    }

    public string Unauthorized(HttpRequest request, AuthFailure failure)
    {
        // Without an authorization server, a Bearer challenge would start OAuth discovery that cannot succeed.
        var header = new StringBuilder(_options.HasAuthorizationServer ? "Bearer" : "ApiKey");
        var first = true;
        if (!_options.HasAuthorizationServer && _options.ApiKeys.Enabled)
        {
            AppendParameter(header, "header", _options.ApiKeys.HeaderName, ref first);
        }

        if (_resource.TryGetMetadataUrl(request, out var metadataUrl))
        {
            AppendParameter(header, "resource_metadata", metadataUrl, ref first);
        }

        if (failure.Reason == AuthFailureReasons.QueryToken)
        {
            AppendParameter(header, "error", "invalid_request", ref first);
            AppendParameter(header, "error_description", failure.Description, ref first);
        }
        else if (failure.CredentialPresented)
        {
            AppendParameter(header, "error", "invalid_token", ref first);
            AppendParameter(header, "error_description", failure.Description, ref first);
        }

        return header.ToString();
    }

    public string Forbidden(HttpRequest request, IReadOnlyList<string> requiredScopes)
    {
        var header = new StringBuilder("Bearer");
        var first = true;
        AppendParameter(header, "error", "insufficient_scope", ref first);
        if (requiredScopes.Count > 0)
        {
            AppendParameter(header, "scope", string.Join(' ', requiredScopes), ref first);
        }

        if (_resource.TryGetMetadataUrl(request, out var metadataUrl))
        {
            AppendParameter(header, "resource_metadata", metadataUrl, ref first);
        }

        return header.ToString();
    }

    private string SubjectOf(HttpContext context) => _callers.Resolve(context.User).Subject ?? "(unknown)";

    private static Task WriteAsync(HttpContext context, string challenge, int status, string code, string message, string reason)
    {
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        context.Response.Headers.WWWAuthenticate = challenge;
        if (ResourceIdentity.IsMcpRequest(context.Request))
        {
            return JsonRpcErrors.WriteAsync(context, status, JsonRpcErrors.ServerError, message,
                data: new Dictionary<string, object> { ["code"] = code, ["reason"] = reason });
        }

        return RejectionWriter.WriteAsync(context, new GatewayRejection(status, code, message, RejectionKind.ProtocolError)
        {
            Data = new Dictionary<string, object?> { ["reason"] = reason },
        });
    }

    private static void AppendParameter(StringBuilder header, string name, string value, ref bool first)
    {
        header.Append(first ? " " : ", ");
        first = false;

        header.Append(name).Append("=\"");
        foreach (var c in value)
        {
            // A quoted-string may not hold quotes, backslashes or control characters unescaped; drop what is unsafe.
            if (c is '"' or '\\' || char.IsControl(c) || c > '~')
            {
                continue;
            }

            header.Append(c);
        }

        header.Append('"');
    }
}
