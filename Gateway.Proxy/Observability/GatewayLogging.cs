using Serilog;
using Serilog.Formatting.Json;

namespace Gateway.Proxy.Observability;

/// <summary>
/// Serilog behind ILogger: JSON lines on the console by default (<c>Gateway:Logging:Format</c> = <c>text</c> for
/// development). Levels stay with <c>Logging:LogLevel</c> so they can change while the gateway runs.
/// </summary>
public static class GatewayLogging
{
    public const string FormatKey = "Gateway:Logging:Format";

    public static WebApplicationBuilder AddGatewayLogging(this WebApplicationBuilder builder)
    {
        var format = builder.Configuration[FormatKey] ?? "json";
        var configuration = new LoggerConfiguration().MinimumLevel.Verbose().Enrich.FromLogContext();
        configuration = string.Equals(format, "text", StringComparison.OrdinalIgnoreCase)
            ? configuration.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext} {RequestId} {Message:lj}{NewLine}{Exception}")
            : configuration.WriteTo.Console(new JsonFormatter(renderMessage: true));

        builder.Logging.ClearProviders();

        // Not AddSerilog(): it adds a Trace-level filter for its provider that would override Logging:LogLevel.
        builder.Logging.AddProvider(new Serilog.Extensions.Logging.SerilogLoggerProvider(configuration.CreateLogger(), dispose: true));
        return builder;
    }
}
