using DemoBackends;
using Gateway.Proxy.Configuration;
using Gateway.Proxy.Hosting;

// One command for the quick start: the four demo backends on 127.0.0.1:8080-8083 and the gateway on :8087,
// on embedded defaults (stateless MCP, in-memory rate limiting, local audit file).
await using var backends = await DemoBackendHost.StartAsync(new DemoBackendOptions());
Console.WriteLine($"Demo backends: {backends.LlmGateway} {backends.SemanticSearch} {backends.AiAgents} {backends.CodeOrchestrator}");

WebApplication gateway;
try
{
    gateway = await GatewayApplication.CreateAsync(args);
}
catch (RoutesConfigException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return 1;
}

await gateway.RunAsync();
return 0;
