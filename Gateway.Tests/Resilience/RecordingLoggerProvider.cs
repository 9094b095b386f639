using Gateway.Tests.RateLimiting;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Resilience;

/// <summary>Plugs a <see cref="RecordingLoggerFactory"/> into a host's logging.</summary>
internal sealed class RecordingLoggerProvider : ILoggerProvider
{
    public RecordingLoggerFactory Records { get; } = new();

    public ILogger CreateLogger(string categoryName) => Records.CreateLogger(categoryName);

    public void Dispose()
    {
    }
}
