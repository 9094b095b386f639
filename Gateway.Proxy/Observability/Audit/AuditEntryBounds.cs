using Gateway.Transforms.Pipeline;

namespace Gateway.Proxy.Observability.Audit;

/// <summary>
/// Keeps every audit line small whatever the caller sends: each text field is cut to a bound with a visible marker
/// (<see cref="CallerText"/>; lone surrogates become U+FFFD so the line stays valid JSON), the security flags are
/// capped, and a line still above <see cref="MaxLineBytes"/> (text of control characters escapes to six bytes each) is
/// written again with tighter bounds. A flood of requests therefore moves at most a few KiB per entry into the trail and
/// cannot rotate older entries out with a handful of huge lines.
/// </summary>
public static class AuditEntryBounds
{
    public const int MaxLineBytes = 8 * 1024;

    public const int MaxRequestIdChars = 128;
    public const int MaxIdentityChars = 256;
    public const int MaxMethodChars = 64;
    public const int MaxToolChars = 128;
    public const int MaxErrorChars = 256;
    public const int MaxNameChars = 256;
    public const int MaxSecurityFlags = 16;
    public const int MaxSecurityFlagChars = 64;

    private const int CompactChars = 48;
    private const int CompactSecurityFlags = 4;

    /// <summary>The entry with every field within its bound; the same instance when nothing needed cutting.</summary>
    public static AuditEntry Apply(AuditEntry entry) => Bound(
        entry, MaxRequestIdChars, MaxIdentityChars, MaxMethodChars, MaxToolChars, MaxErrorChars, MaxNameChars, MaxSecurityFlags, MaxSecurityFlagChars);

    /// <summary>Tighter bounds for an entry whose line would still exceed <see cref="MaxLineBytes"/>.</summary>
    public static AuditEntry Compact(AuditEntry entry) => Bound(
        entry, CompactChars, CompactChars, CompactChars, CompactChars, CompactChars, CompactChars, CompactSecurityFlags, CompactChars);

    private static AuditEntry Bound(AuditEntry entry, int requestId, int identity, int method, int tool, int error, int name, int flags, int flagChars)
    {
        var bounded = new AuditEntry
        {
            Timestamp = entry.Timestamp,
            Type = entry.Type,
            RequestId = CallerText.Bound(entry.RequestId, requestId),
            User = CallerText.Bound(entry.User, identity),
            Tenant = CallerText.Bound(entry.Tenant, identity),
            Method = CallerText.Bound(entry.Method, method),
            Tool = CallerText.Bound(entry.Tool, tool),
            Status = entry.Status,
            Error = CallerText.Bound(entry.Error, error),
            LatencyMs = entry.LatencyMs,
            SecurityFlags = BoundFlags(entry.SecurityFlags, flags, flagChars),
            ArgumentsSha256 = entry.ArgumentsSha256,
            Route = CallerText.Bound(entry.Route, name),
            Cluster = CallerText.Bound(entry.Cluster, name),
            Server = CallerText.Bound(entry.Server, name),
            UpstreamTool = CallerText.Bound(entry.UpstreamTool, tool),
            HttpStatus = entry.HttpStatus,
            ApiKeyId = entry.ApiKeyId,
        };
        return Unchanged(entry, bounded) ? entry : bounded;
    }

    private static IReadOnlyList<string> BoundFlags(IReadOnlyList<string> flags, int maxFlags, int maxChars)
    {
        var changed = flags.Count > maxFlags;
        var count = Math.Min(flags.Count, maxFlags);
        for (var i = 0; i < count && !changed; i++)
        {
            changed = !ReferenceEquals(flags[i], CallerText.Bound(flags[i], maxChars));
        }

        if (!changed)
        {
            return flags;
        }

        var bounded = new List<string>(count + 1);
        for (var i = 0; i < count; i++)
        {
            bounded.Add(CallerText.Bound(flags[i], maxChars));
        }

        if (flags.Count > maxFlags)
        {
            bounded.Add($"…[truncated, {flags.Count} flags]");
        }

        return bounded;
    }

    private static bool Unchanged(AuditEntry a, AuditEntry b) =>
        ReferenceEquals(a.RequestId, b.RequestId) && ReferenceEquals(a.User, b.User) && ReferenceEquals(a.Tenant, b.Tenant)
        && ReferenceEquals(a.Method, b.Method) && ReferenceEquals(a.Tool, b.Tool) && ReferenceEquals(a.Error, b.Error)
        && ReferenceEquals(a.SecurityFlags, b.SecurityFlags) && ReferenceEquals(a.Route, b.Route) && ReferenceEquals(a.Cluster, b.Cluster)
        && ReferenceEquals(a.Server, b.Server) && ReferenceEquals(a.UpstreamTool, b.UpstreamTool);
}
