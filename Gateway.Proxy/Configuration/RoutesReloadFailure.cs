namespace Gateway.Proxy.Configuration;

/// <summary>When routes.json last failed to load and every reason, for /ready and /status/health.</summary>
public sealed record RoutesReloadFailure(DateTimeOffset At, IReadOnlyList<string> Errors);
