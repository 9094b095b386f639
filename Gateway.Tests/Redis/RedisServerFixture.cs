using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Gateway.Proxy.RateLimiting;
using Gateway.Tests.Infrastructure;
using Gateway.Transforms.RateLimiting;
using StackExchange.Redis;

namespace Gateway.Tests.Redis;

/// <summary>Extra server configuration: a password (<c>requirepass</c>) and/or TLS-only listening.</summary>
internal sealed record RedisServerSettings(string? Password = null, TestCertificateFiles? Tls = null);

/// <summary>
/// A real Garnet or redis-server process on a free 127.0.0.1 port: started, awaited until it answers PING, killable and
/// restartable on the same port, and killed on dispose.
/// </summary>
internal sealed class RedisServerFixture : IAsyncDisposable
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(30);
    private readonly RedisServerSettings _settings;
    private readonly StringBuilder _output = new();
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("redis-fixture-").FullName;
    private Process? _process;

    private RedisServerFixture(RedisServerKind kind, RedisServerSettings settings, int port)
    {
        Kind = kind;
        _settings = settings;
        Port = port;
    }

    public RedisServerKind Kind { get; }

    public int Port { get; }

    public string Url
    {
        get
        {
            var scheme = _settings.Tls is null ? "redis" : "rediss";
            var credentials = _settings.Password is { } password ? $":{Uri.EscapeDataString(password)}@" : string.Empty;
            return $"{scheme}://{credentials}127.0.0.1:{Port}";
        }
    }

    /// <summary>
    /// The gateway's client settings for this server (<see cref="RedisUrl.ToConfigurationOptions"/>), with timeouts
    /// generous enough for a loaded test machine and admin commands (FLUSHALL, SCRIPT FLUSH) allowed.
    /// </summary>
    public ConfigurationOptions Configuration(TimeSpan? commandTimeout = null)
    {
        var options = RedisUrl.Parse(Url).ToConfigurationOptions(commandTimeout ?? TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        options.AllowAdmin = true;
        return options;
    }

    public static string? RedisServerPath { get; } = FindOnPath("redis-server");

    public static async Task<RedisServerFixture> StartAsync(RedisServerKind kind, RedisServerSettings? settings = null)
    {
        IgnoreIfUnavailable(kind);
        var fixture = new RedisServerFixture(kind, settings ?? new RedisServerSettings(), FreePort.Next());
        await fixture.StartAsync();
        return fixture;
    }

    public static void IgnoreIfUnavailable(RedisServerKind kind)
    {
        if (kind == RedisServerKind.Redis && RedisServerPath is null)
        {
            Assert.Ignore("redis-server is not installed (apt-get install -y redis-server); the redis-server variant is skipped.");
        }
    }

    public RedisConnection CreateConnection(TimeSpan? commandTimeout = null) => new(Configuration(commandTimeout));

    /// <summary>A separate admin connection for inspecting or resetting the server (KEYS, FLUSHALL, SCRIPT FLUSH).</summary>
    public async Task<ConnectionMultiplexer> ConnectAdminAsync()
    {
        var options = Configuration();
        options.AbortOnConnectFail = true;
        options.ConnectRetry = 5;
        return await ConnectionMultiplexer.ConnectAsync(options);
    }

    /// <summary>Starts the server (again) on <see cref="Port"/> and waits until it answers.</summary>
    public async Task StartAsync()
    {
        if (_process is { HasExited: false })
        {
            return;
        }

        _output.Clear();
        if (Kind == RedisServerKind.Garnet)
        {
            await s_toolsRestored.Value;
        }

        var process = new Process { StartInfo = Kind == RedisServerKind.Garnet ? GarnetStartInfo() : RedisStartInfo() };
        process.OutputDataReceived += (_, e) => Capture(e.Data);
        process.ErrorDataReceived += (_, e) => Capture(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitUntilAnsweringAsync(process);
    }

    /// <summary>Kills the server process (the whole tree: <c>dotnet garnet-server</c> runs Garnet as a child).</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        process.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public override string ToString() => $"{Kind} on port {Port}";

    /// <summary>`dotnet test` alone must work on a fresh clone, so the tool manifest (Garnet) is restored once per run.</summary>
    private static readonly Lazy<Task> s_toolsRestored = new(async () =>
    {
        using var restore = Process.Start(Redirected(new ProcessStartInfo("dotnet", "tool restore") { WorkingDirectory = RepositoryRoot() }))!;
        var output = restore.StandardOutput.ReadToEndAsync();
        var error = restore.StandardError.ReadToEndAsync();
        await restore.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        if (restore.ExitCode != 0)
        {
            Assert.Fail($"'dotnet tool restore' failed ({restore.ExitCode}): {await output}{await error}");
        }
    });

    private ProcessStartInfo GarnetStartInfo()
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = RepositoryRoot() };
        foreach (var arg in new[]
                 {
                     "garnet-server", "--port", Port.ToString(), "--bind", "127.0.0.1",

                     // Without --lua-transaction-mode Garnet runs scripts without locking their keys: not atomic.
                     "--lua", "--lua-transaction-mode", "true",
                     "--memory", "64m", "--index", "1m", "--page", "1m", "--logger-level", "Warning",
                 })
        {
            info.ArgumentList.Add(arg);
        }

        if (_settings.Password is { } password)
        {
            info.ArgumentList.Add("--auth");
            info.ArgumentList.Add("Password");
            info.ArgumentList.Add("--password");
            info.ArgumentList.Add(password);
        }

        if (_settings.Tls is not null)
        {
            throw new NotSupportedException("The fixture runs TLS only with redis-server.");
        }

        return Redirected(info);
    }

    private ProcessStartInfo RedisStartInfo()
    {
        var info = new ProcessStartInfo(RedisServerPath!) { WorkingDirectory = _dataDirectory };
        foreach (var arg in new[] { "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no", "--dir", _dataDirectory })
        {
            info.ArgumentList.Add(arg);
        }

        if (_settings.Tls is { } tls)
        {
            foreach (var arg in new[]
                     {
                         "--port", "0", "--tls-port", Port.ToString(), "--tls-cert-file", tls.ServerCertificatePath,
                         "--tls-key-file", tls.ServerKeyPath, "--tls-ca-cert-file", tls.CaCertificatePath, "--tls-auth-clients", "no",
                     })
            {
                info.ArgumentList.Add(arg);
            }
        }
        else
        {
            info.ArgumentList.Add("--port");
            info.ArgumentList.Add(Port.ToString());
        }

        if (_settings.Password is { } password)
        {
            info.ArgumentList.Add("--requirepass");
            info.ArgumentList.Add(password);
        }

        return Redirected(info);
    }

    private static ProcessStartInfo Redirected(ProcessStartInfo info)
    {
        info.UseShellExecute = false;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        return info;
    }

    private async Task WaitUntilAnsweringAsync(Process process)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartupTimeout)
        {
            if (process.HasExited)
            {
                Assert.Fail($"{Kind} exited with code {process.ExitCode} before answering PING. " +
                            $"For Garnet run 'dotnet tool restore' in the repository root. Output:\n{CapturedOutput()}");
            }

            if (await AnswersPingAsync())
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"{Kind} did not answer PING on port {Port} within {StartupTimeout}. Output:\n{CapturedOutput()}");
    }

    /// <summary>True once the server replies to a raw PING at all (NOAUTH counts: it is up).</summary>
    private async Task<bool> AnswersPingAsync()
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token);
            Stream stream = client.GetStream();
            if (_settings.Tls is not null)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "127.0.0.1" }, timeout.Token);
                stream = tls;
            }

            await using (stream)
            {
                await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
                var buffer = new byte[64];
                var read = await stream.ReadAsync(buffer, timeout.Token);
                return read > 0 && (buffer[0] == '+' || buffer[0] == '-');
            }
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            return false;
        }
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 16_384)
            {
                _output.AppendLine(line);
            }
        }
    }

    private string CapturedOutput()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }


    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, ".config", "dotnet-tools.json")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (.config/dotnet-tools.json) above the test directory.");
    }

    private static string? FindOnPath(string executable)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(directory, executable);
            if (directory.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
