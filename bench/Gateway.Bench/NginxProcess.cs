using System.Diagnostics;
using System.Net;

namespace Gateway.Bench;

/// <summary>
/// Debian's nginx as a plain reverse proxy in front of the same backend (own process, daemon off, keepalive upstream):
/// the bar for what a proxy hop costs on this machine.
/// </summary>
internal sealed class NginxProcess : IAsyncDisposable
{
    private readonly Process _process;

    private NginxProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public int Pid => _process.Id;

    public static async Task<NginxProcess?> TryStartAsync(Uri backend, string directory)
    {
        var binary = new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists);
        if (binary is null)
        {
            Console.WriteLine("- nginx row skipped: nginx is not installed (apt-get install nginx-light or nginx)");
            return null;
        }

        var root = Directory.CreateDirectory(Path.Combine(directory, "nginx")).FullName;
        var port = FreePort.Next();
        var config = Path.Combine(root, "nginx.conf");
        await File.WriteAllTextAsync(config, $$"""
            worker_processes auto;
            daemon off;
            pid {{root}}/nginx.pid;
            error_log {{root}}/error.log warn;
            events { worker_connections 4096; }
            http {
              access_log off;
              client_body_temp_path {{root}}/body;
              proxy_temp_path {{root}}/proxy;
              fastcgi_temp_path {{root}}/fastcgi;
              uwsgi_temp_path {{root}}/uwsgi;
              scgi_temp_path {{root}}/scgi;
              upstream backend { server {{backend.Host}}:{{backend.Port}}; keepalive 128; }
              server {
                listen 127.0.0.1:{{port}};
                keepalive_requests 1000000;
                location /bench/ { proxy_pass http://backend/; proxy_http_version 1.1; proxy_set_header Connection ""; }
              }
            }
            """);
        var process = Process.Start(new ProcessStartInfo(binary) { ArgumentList = { "-c", config, "-e", Path.Combine(root, "error.log") }, RedirectStandardError = true })
            ?? throw new InvalidOperationException("could not start nginx");
        var address = new Uri($"http://127.0.0.1:{port}/");
        using var http = new HttpClient();
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var answer = await http.PostAsync(new Uri(address, "bench/echo"), new StringContent("{}"));
                if (answer.StatusCode == HttpStatusCode.OK)
                {
                    return new NginxProcess(process, address);
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(50);
        }

        process.Kill(entireProcessTree: true);
        Console.WriteLine("- nginx row skipped: nginx did not answer within 5 s: " + await File.ReadAllTextAsync(Path.Combine(root, "error.log")));
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
