using Gateway.Proxy.Configuration;
using Gateway.Proxy.Hosting;
using Gateway.Proxy.Security.Keys;

if (args.Length > 0 && args[0] == KeysCommandLine.CommandName)
{
    return await KeysCommandLine.RunAsync(args[1..], Console.Out, Console.Error);
}

if (args.Length > 0 && args[0] == HealthCheckCommand.CommandName)
{
    return await HealthCheckCommand.RunAsync(args[1..], Console.Error);
}

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
