using DemoBackends.AiAgents;
using DemoBackends.CodeOrchestrator;
using DemoBackends.Common;
using DemoBackends.LlmGateway;
using DemoBackends.SemanticSearch;

namespace DemoBackends;

/// <summary>Builds one backend as its own Kestrel app: fault middleware, /health, /echo and the backend's REST API.</summary>
internal static class BackendApp
{
    public static WebApplication Build(string name, string host, int port, DemoBackendOptions options, BackendFaults faults)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(BackendApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });

        // Ignore appsettings/environment of whatever process hosts us (the gateway's tests share an output folder).
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.WebHost.UseUrls(FormattableString.Invariant($"http://{host}:{port}"));
        builder.Logging.ClearProviders();
        if (options.ConsoleLogging)
        {
            builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        }

        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, DemoJsonContext.Default));

        var app = builder.Build();
        app.UseMiddleware<FaultMiddleware>(faults);
        app.MapHealth(name);
        app.MapEcho();
        switch (name)
        {
            case BackendNames.LlmGateway:
                app.MapLlmGateway();
                break;
            case BackendNames.SemanticSearch:
                app.MapSemanticSearch();
                break;
            case BackendNames.AiAgents:
                app.MapAiAgents();
                break;
            case BackendNames.CodeOrchestrator:
                app.MapCodeOrchestrator(options.CodeRoot);
                break;
        }

        return app;
    }
}
