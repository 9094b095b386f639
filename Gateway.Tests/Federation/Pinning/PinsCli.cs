using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Federation.Pinning;

/// <summary>Runs the built CLI, <c>dotnet Gateway.Proxy.dll pins …</c>, as an operator would.</summary>
public static class PinsCli
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(90);

    public static Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments) =>
        GatewayBinary.RunToExitAsync(["pins", .. arguments], new Dictionary<string, string>(), s_timeout);

    public static Task<(int ExitCode, string Output, string Error)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        GatewayBinary.RunToExitAsync(["pins", .. arguments], environment, s_timeout);

    /// <summary>Runs the gateway itself (no subcommand) until it exits: for settings it must refuse to start with.</summary>
    public static Task<(int ExitCode, string Output, string Error)> RunGatewayAsync(IReadOnlyDictionary<string, string> environment) =>
        GatewayBinary.RunToExitAsync([], environment, s_timeout);
}
