using Microsoft.Extensions.Configuration;

namespace DemoBackends;

/// <summary>Where the four demo backends listen and which tree the code orchestrator may read. Port 0 = ephemeral.</summary>
public sealed class DemoBackendOptions
{
    public string Host { get; init; } = "127.0.0.1";
    public int LlmGatewayPort { get; init; } = 8080;
    public int SemanticSearchPort { get; init; } = 8081;
    public int AiAgentsPort { get; init; } = 8082;
    public int CodeOrchestratorPort { get; init; } = 8083;

    /// <summary>Root the code orchestrator analyses; requests can never leave it.</summary>
    public string CodeRoot { get; init; } = SampleRepoLocator.Find();

    /// <summary>Console logging of warnings from the backends (off for tests).</summary>
    public bool ConsoleLogging { get; init; }

    /// <summary>Same options with every port set to 0, for tests.</summary>
    public static DemoBackendOptions Ephemeral() => new()
    {
        LlmGatewayPort = 0,
        SemanticSearchPort = 0,
        AiAgentsPort = 0,
        CodeOrchestratorPort = 0,
    };

    /// <summary>Reads Host, LlmGatewayPort, SemanticSearchPort, AiAgentsPort, CodeOrchestratorPort and CodeRoot; missing keys keep the defaults.</summary>
    public static DemoBackendOptions FromConfiguration(IConfiguration configuration)
    {
        var defaults = new DemoBackendOptions();
        return new DemoBackendOptions
        {
            Host = configuration[nameof(Host)] ?? defaults.Host,
            LlmGatewayPort = ReadPort(configuration, nameof(LlmGatewayPort), defaults.LlmGatewayPort),
            SemanticSearchPort = ReadPort(configuration, nameof(SemanticSearchPort), defaults.SemanticSearchPort),
            AiAgentsPort = ReadPort(configuration, nameof(AiAgentsPort), defaults.AiAgentsPort),
            CodeOrchestratorPort = ReadPort(configuration, nameof(CodeOrchestratorPort), defaults.CodeOrchestratorPort),
            CodeRoot = configuration[nameof(CodeRoot)] ?? defaults.CodeRoot,
            ConsoleLogging = true,
        };
    }

    internal int PortOf(string backend) => backend switch
    {
        BackendNames.LlmGateway => LlmGatewayPort,
        BackendNames.SemanticSearch => SemanticSearchPort,
        BackendNames.AiAgents => AiAgentsPort,
        BackendNames.CodeOrchestrator => CodeOrchestratorPort,
        _ => throw new ArgumentException($"Unknown backend '{backend}'. Known: {string.Join(", ", BackendNames.All)}.", nameof(backend)),
    };

    private static int ReadPort(IConfiguration configuration, string key, int fallback)
    {
        var text = configuration[key];
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, out var port) && port is >= 0 and <= 65535
            ? port
            : throw new ArgumentException($"Setting '{key}' must be a port number 0..65535, got '{text}'.");
    }
}
