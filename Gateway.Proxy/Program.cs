using Gateway.Proxy.Configuration;
using Gateway.Proxy.Hosting;

WebApplication app;
try
{
    app = await GatewayApplication.CreateAsync(args);
}
catch (RoutesConfigException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return 1;
}

await app.RunAsync();
return 0;
