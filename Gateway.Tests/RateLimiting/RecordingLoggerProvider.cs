using Microsoft.Extensions.Logging;

namespace Gateway.Tests.RateLimiting;

/// <summary>Plugs a <see cref="RecordingLoggerFactory"/> into a host's logging.</summary>
internal sealed class RecordingLoggerProvider(RecordingLoggerFactory entries) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => entries.CreateLogger(categoryName);

    public void Dispose()
    {
    }
}
