using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Infrastructure;

/// <summary>A real Kestrel server on 127.0.0.1 with an ephemeral port, for backends the gateway proxies to.</summary>
public sealed class TestBackend : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestBackend(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<TestBackend> StartAsync(Action<WebApplication> map, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new TestBackend(app, new Uri(address + "/"));
    }

    /// <summary>A backend that answers every request with what it received (method, path, query, headers, body).</summary>
    public static Task<TestBackend> StartEchoAsync(int port = 0) => StartAsync(app => app.Map("/{**path}", EchoAsync), port);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task EchoAsync(Microsoft.AspNetCore.Http.HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var echo = new System.Text.Json.Nodes.JsonObject
        {
            ["method"] = context.Request.Method,
            ["path"] = context.Request.Path.Value + "",
            ["rawTarget"] = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget,
            ["query"] = context.Request.QueryString.Value,
            ["body"] = body,
            ["headers"] = new System.Text.Json.Nodes.JsonObject(context.Request.Headers
                .Select(h => KeyValuePair.Create(h.Key.ToLowerInvariant(), (System.Text.Json.Nodes.JsonNode?)h.Value.ToString()))),
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(echo.ToJsonString());
    }
}
