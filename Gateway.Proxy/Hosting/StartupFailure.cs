using System.Net.Sockets;
using Gateway.Proxy.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Hosting;

/// <summary>
/// What an operator reads when the gateway cannot start because of its configuration or environment: one message on
/// standard error and exit code 1. Anything else is a bug and keeps its stack trace.
/// </summary>
public static class StartupFailure
{
    public const int ExitCode = 1;

    private const string ConfigurationBinderAssembly = "Microsoft.Extensions.Configuration.Binder";

    /// <summary>The message for a configuration or environment error, or null when <paramref name="exception"/> is not one.</summary>
    public static string? Describe(Exception exception) => exception switch
    {
        StartupConfigurationException or RoutesConfigException => exception.Message,
        OptionsValidationException validation =>
            "The gateway's configuration is invalid:" + Environment.NewLine + "  - " + string.Join(Environment.NewLine + "  - ", validation.Failures),
        IOException when SocketErrorOf(exception) is SocketError.AddressAlreadyInUse or SocketError.AddressNotAvailable or SocketError.AccessDenied =>
            exception.Message + " Free the port, or choose another with MCP_GATEWAY_PORT / MCP_GATEWAY_MANAGEMENT_PORT (or --urls).",
        InvalidOperationException { Source: ConfigurationBinderAssembly } =>
            exception.Message + " Set a value of that type (true/false for a switch, a number for a count or a port, hh:mm:ss for a time span).",
        AggregateException { InnerExceptions.Count: 1 } aggregate => Describe(aggregate.InnerExceptions[0]),
        _ => null,
    };

    private static SocketError? SocketErrorOf(Exception exception)
    {
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.SocketErrorCode;
            }
        }

        return null;
    }

    /// <summary>Writes the message for <paramref name="exception"/>; false (nothing written) when it is not a startup error.</summary>
    public static bool TryReport(Exception exception, TextWriter error)
    {
        if (Describe(exception) is not { } message)
        {
            return false;
        }

        error.WriteLine("mcp-gateway cannot start: " + message);
        return true;
    }
}
