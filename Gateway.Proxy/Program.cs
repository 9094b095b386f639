using Gateway.Proxy.Federation.Pinning;
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

if (args.Length > 0 && args[0] == PinsCommandLine.CommandName)
{
    return await PinsCommandLine.RunAsync(args[1..], Console.Out, Console.Error);
}

WebApplication? app = null;
try
{
    app = await GatewayApplication.CreateAsync(args);
    await app.StartAsync();
}
catch (Exception ex) when (StartupFailure.TryReport(ex, Console.Error))
{
    if (app is not null)
    {
        await app.DisposeAsync();
    }

    return StartupFailure.ExitCode;
}

await app.WaitForShutdownAsync();
await app.DisposeAsync();
return 0;
