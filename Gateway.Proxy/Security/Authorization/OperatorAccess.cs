using Gateway.Proxy.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Security.Authorization;

public enum OperatorAccessOutcome
{
    Allowed,

    /// <summary>The operator endpoints live on the management listener; on this one they do not exist.</summary>
    NotHere,

    Unauthenticated,

    Forbidden,
}

/// <summary>
/// Who is an operator: every caller of the management listener; on the main listener, with auth on, a caller with
/// <c>Gateway:Auth:OperatorRole</c> or <c>OperatorScope</c>; with auth off (loopback only), every caller for the
/// operator endpoints. The detailed health views use the stricter <see cref="ShowsDetail"/>.
/// </summary>
public sealed class OperatorAccess
{
    private readonly ManagementListener _listener;
    private readonly CallerIdentityResolver _callers;
    private readonly bool _authEnabled;
    private readonly string? _role;
    private readonly string? _scope;

    public OperatorAccess(ManagementListener listener, CallerIdentityResolver callers, IOptions<SecurityOptions> options)
    {
        _listener = listener;
        _callers = callers;
        var value = options.Value;
        _authEnabled = value.Enabled;
        _role = string.IsNullOrEmpty(value.OperatorRole) ? null : value.OperatorRole;
        _scope = string.IsNullOrEmpty(value.OperatorScope) ? null : value.OperatorScope;
    }

    /// <summary>The scope named in a 403 challenge, if one grants access.</summary>
    public string? Scope => _scope;

    /// <summary>May this request use the operator endpoints (<c>/metrics</c>, <c>/status/*</c>)?</summary>
    public OperatorAccessOutcome Evaluate(HttpContext context)
    {
        if (_listener.IsEnabled)
        {
            return _listener.IsManagementConnection(context) ? OperatorAccessOutcome.Allowed : OperatorAccessOutcome.NotHere;
        }

        if (!_authEnabled)
        {
            return OperatorAccessOutcome.Allowed;
        }

        var caller = _callers.Resolve(context.User);
        if (!caller.IsAuthenticated)
        {
            return OperatorAccessOutcome.Unauthenticated;
        }

        return HasOperatorGrant(caller) ? OperatorAccessOutcome.Allowed : OperatorAccessOutcome.Forbidden;
    }

    /// <summary>
    /// May this request see the details of <c>/health</c> and <c>/ready</c> (versions, check details)? Only a caller
    /// of the management listener or an authenticated operator: an anonymous probe learns the status and nothing else.
    /// </summary>
    public bool ShowsDetail(HttpContext context) =>
        _listener.IsManagementConnection(context) || (_authEnabled && HasOperatorGrant(_callers.Resolve(context.User)));

    private bool HasOperatorGrant(CallerIdentity caller) =>
        caller.IsAuthenticated
        && ((_role is not null && caller.Roles.Contains(_role)) || (_scope is not null && caller.Scopes.Contains(_scope)));
}
