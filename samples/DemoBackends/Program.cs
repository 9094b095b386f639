// Starts llm-gateway, semantic-search, ai-agents and code-orchestrator on 127.0.0.1:8080-8083.
// Override with --Host, --LlmGatewayPort, --SemanticSearchPort, --AiAgentsPort, --CodeOrchestratorPort, --CodeRoot
// (or DEMOBACKENDS_<Setting> environment variables).
return await DemoBackends.DemoLauncher.RunAsync(args);
