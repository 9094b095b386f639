using System.Text;

namespace Gateway.Tests.Infrastructure;

/// <summary>Reads server-sent events off a response stream.</summary>
public static class SseEvents
{
    /// <summary>The data of the next event (its lines joined).</summary>
    public static async Task<string> NextDataAsync(StreamReader reader, CancellationToken cancellationToken) =>
        (await NextAsync(reader, cancellationToken)).Data;

    /// <summary>The name (if any) and the data of the next event.</summary>
    public static async Task<(string? Event, string Data)> NextAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        string? name = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    return (name, data.ToString());
                }

                continue;
            }

            if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                name = line[6..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data.Append(line.AsSpan(5).Trim());
            }
        }

        throw new EndOfStreamException("The event stream ended before the next event.");
    }
}
