using System.Reflection;
using System.Runtime.InteropServices;

namespace Gateway.Proxy.Observability.Metrics;

/// <summary>The labels of <c>mcp_gateway_build_info</c>.</summary>
public sealed record GatewayBuildInfo(string Version, string Commit, string Runtime)
{
    public const string UnknownCommit = "unknown";

    /// <summary>This gateway build, as reported by /health, MCP serverInfo and the build-info metric.</summary>
    public static GatewayBuildInfo Current { get; } = FromAssembly(typeof(GatewayBuildInfo).Assembly);

    /// <summary>Reads "version+commit" from the assembly's informational version, as the .NET SDK stamps it.</summary>
    public static GatewayBuildInfo FromAssembly(Assembly assembly)
    {
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        var version = plus < 0 ? informational : informational[..plus];
        var commit = plus < 0 || plus == informational.Length - 1 ? UnknownCommit : informational[(plus + 1)..];
        return new GatewayBuildInfo(version, commit, RuntimeInformation.FrameworkDescription);
    }
}
