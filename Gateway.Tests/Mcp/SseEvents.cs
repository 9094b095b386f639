using System.Text;

namespace Gateway.Tests.Mcp;

/// <summary>Reads server-sent events from a legacy SSE stream.</summary>
internal static class SseEvents
{
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
                data.Append(line[5..].Trim());
            }
        }

        throw new AssertionException("the SSE stream ended");
    }
}
