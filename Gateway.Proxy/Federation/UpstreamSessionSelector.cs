using Gateway.Proxy.Federation.Relay;
using Gateway.Transforms.Federation;

namespace Gateway.Proxy.Federation;

/// <summary>
/// The session a caller's request to an upstream goes on, the same for tool calls, reads, prompts and completions: its
/// own client-bound one when the upstream may ask this caller for sampling, elicitation or roots (never shared with
/// another caller); else the principal's where the upstream is scoped by principal; else the upstream's shared one.
/// </summary>
public sealed class UpstreamSessionSelector
{
    private readonly ClientBoundSessions _clientBound;
    private readonly PrincipalSessions _principals;

    public UpstreamSessionSelector(ClientBoundSessions clientBound, PrincipalSessions principals)
    {
        _clientBound = clientBound;
        _principals = principals;
    }

    /// <exception cref="UpstreamUnavailableException">A session of the caller's own could not be opened.</exception>
    public UpstreamSession For(UpstreamSession shared, HttpContext caller)
    {
        if (shared.RunsProcess)
        {
            return shared;
        }

        if (DownstreamRequest.Of(caller) is { CanServeUpstreamRequests: true } downstream)
        {
            return _clientBound.For(shared, downstream);
        }

        return shared.Upstream.Declaration.SessionScope == UpstreamSessionScope.Principal ? _principals.For(shared, caller) : shared;
    }
}
