using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

#pragma warning disable MCP9005 // logging: what the relay passes on

namespace Gateway.Tests.Federation;

/// <summary>A tool that logs while it runs, added on demand (the other tests list the upstream's tools exactly).</summary>
public sealed partial class CSharpUpstream
{
    /// <summary>The levels <c>log_steps</c> logs at, in order.</summary>
    public static readonly LoggingLevel[] LogStepLevels = [LoggingLevel.Debug, LoggingLevel.Info, LoggingLevel.Warning];

    /// <summary>
    /// Adds <c>log_steps</c>: sends a <c>notifications/message</c> at each of <see cref="LogStepLevels"/> on the call's
    /// own response stream (logger <c>steps</c>, data <c>"{tag} {level}"</c>), each followed by progress when the call
    /// asked for it, pausing <c>pauseMs</c> after each, then answers <c>"logged {tag}"</c>. Sent whatever level the gateway's session set, as servers may.
    /// </summary>
    public void AddLoggingTool() =>
        _app!.Services.GetRequiredService<IOptions<McpServerOptions>>().Value.ToolCollection!.Add(McpServerTool.Create(
            async (string tag, int pauseMs, RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken) =>
            {
                var step = 0;
                foreach (var level in LogStepLevels)
                {
                    await request.Server.SendNotificationAsync(NotificationMethods.LoggingMessageNotification, new LoggingMessageNotificationParams
                    {
                        Level = level,
                        Logger = "steps",
                        Data = JsonSerializer.SerializeToElement($"{tag} {level}"),
                    }, cancellationToken: cancellationToken);
                    if (request.Params?.ProgressToken is { } token)
                    {
                        await request.Server.NotifyProgressAsync(token, new ProgressNotificationValue { Progress = ++step, Total = LogStepLevels.Length }, cancellationToken: cancellationToken);
                    }

                    await Task.Delay(pauseMs, cancellationToken);
                }

                return "logged " + tag;
            },
            new McpServerToolCreateOptions { Name = "log_steps", Description = "Logs at debug, info and warning, then answers." }));
}
