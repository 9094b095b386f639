namespace Gateway.Proxy.Federation;

/// <summary>The header the gateway authenticates itself to an upstream with (never anything of the caller's own).</summary>
internal abstract class UpstreamAuthorization
{
    public abstract string HeaderName { get; }

    /// <summary>Whether a value the upstream refused (401) can be replaced by a new one, so the request is worth sending once more.</summary>
    public abstract bool CanRenew { get; }

    /// <summary>The header value to send; not <paramref name="rejected"/>, which the upstream just refused.</summary>
    /// <exception cref="UpstreamUnavailableException">No value can be had (secret missing, token endpoint failing).</exception>
    public abstract ValueTask<string> ValueAsync(string? rejected, CancellationToken cancellationToken);
}

/// <summary>A secret read once per session from its file or environment variable (Bearer, ApiKeyHeader).</summary>
internal sealed class StaticUpstreamAuthorization(string headerName, string value) : UpstreamAuthorization
{
    public override string HeaderName => headerName;

    public override bool CanRenew => false;

    public override ValueTask<string> ValueAsync(string? rejected, CancellationToken cancellationToken) => ValueTask.FromResult(value);
}
