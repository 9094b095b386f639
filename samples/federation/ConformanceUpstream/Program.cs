using ConformanceUpstream;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;

// An MCP server (the C# SDK, Streamable HTTP, stateful) with what every server scenario of the official conformance
// suite (@modelcontextprotocol/conformance 0.1.16) looks for: the test_* tools, test:// resources and template, the
// test_* prompts, completion, logging, progress, sampling, elicitation and SSE polling. ConformanceFederated runs the
// suite against it directly and through the gateway. Usage: dotnet ConformanceUpstream.dll --urls http://127.0.0.1:18091
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);

// SSE polling (test_reconnection) ends a call's response stream early; the client resumes from the event store.
builder.Services.AddDistributedMemoryCache();
builder.Services.AddMcpServer(options =>
    {
        options.ServerInfo = new Implementation { Name = "conformance-upstream", Version = "1.0.0" };
        ConformancePrimitives.Configure(options);
    })
    .WithHttpTransport(options => options.SessionMode = HttpServerSessionMode.Stateful)
    .WithDistributedCacheEventStreamStore()
    .WithTools(ConformanceTools.All());

var app = builder.Build();
app.UseMiddleware<LocalhostOnly>();
app.MapMcp("/mcp");
app.Run();
