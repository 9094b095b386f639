using System.Runtime.InteropServices;

namespace DemoBackends;

/// <summary>The console entry point: starts all four backends, logs their URLs and runs until Ctrl+C or SIGTERM.</summary>
internal static partial class DemoLauncher
{
    public static async Task<int> RunAsync(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables("DEMOBACKENDS_")
            .AddCommandLine(args)
            .Build();
        using var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(console => console.SingleLine = true));
        var logger = loggerFactory.CreateLogger(typeof(DemoLauncher));

        DemoBackendOptions options;
        try
        {
            options = DemoBackendOptions.FromConfiguration(configuration);
        }
        catch (ArgumentException ex)
        {
            Log.InvalidSetting(logger, ex.Message);
            return 2;
        }

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

        await using var host = await DemoBackendHost.StartAsync(options);
        foreach (var name in BackendNames.All)
        {
            Log.Listening(logger, name, host.AddressOf(name));
        }

        Log.CodeRoot(logger, options.CodeRoot);
        await stop.Task;
        Log.Stopping(logger);
        return 0;

        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.TrySetResult();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Backend} listening on {Address}")]
        public static partial void Listening(ILogger logger, string backend, Uri address);

        [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "code-orchestrator code root: {CodeRoot}")]
        public static partial void CodeRoot(ILogger logger, string codeRoot);

        [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Stopping the demo backends")]
        public static partial void Stopping(ILogger logger);

        [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "Invalid setting: {Detail}")]
        public static partial void InvalidSetting(ILogger logger, string detail);
    }
}
