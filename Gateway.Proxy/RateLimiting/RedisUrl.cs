using System.Globalization;
using System.Net;
using System.Text;
using StackExchange.Redis;

namespace Gateway.Proxy.RateLimiting;

/// <summary>
/// <c>Gateway:RateLimiting:RedisUrl</c>: <c>redis://[[user]:password@]host[:port][/db]</c>, or <c>rediss://...</c> for
/// TLS, turned into StackExchange.Redis <see cref="ConfigurationOptions"/>. <see cref="ToString"/> never includes the
/// password, and neither does any parse error.
/// </summary>
public sealed class RedisUrl
{
    public const string EnvironmentVariable = "MCP_GATEWAY_REDIS_URL";
    public const int DefaultPort = 6379;

    private RedisUrl(string host, int port, int database, string? user, string? password, bool useTls)
    {
        Host = host;
        Port = port;
        Database = database;
        User = user;
        Password = password;
        UseTls = useTls;
    }

    public string Host { get; }

    public int Port { get; }

    public int Database { get; }

    /// <summary>ACL user name; null authenticates with the password only (<c>AUTH password</c>).</summary>
    public string? User { get; }

    public string? Password { get; }

    public bool UseTls { get; }

    /// <exception cref="FormatException">The URL is malformed; the message names the problem and never repeats the URL.</exception>
    public static RedisUrl Parse(string url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            throw Invalid("it is empty");
        }

        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri))
        {
            throw Invalid("it is not an absolute URL");
        }

        var useTls = uri.Scheme switch
        {
            "redis" => false,
            "rediss" => true,
            _ => throw Invalid($"the scheme must be 'redis' or 'rediss', not '{uri.Scheme}'"),
        };

        var host = uri.IdnHost;
        if (host.Length == 0)
        {
            throw Invalid("the host is missing");
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw Invalid("query strings and fragments are not supported; use Gateway:RateLimiting:RedisCommandTimeout and RedisConnectTimeout for timeouts");
        }

        var (user, password) = ParseUserInfo(uri.UserInfo);
        return new RedisUrl(host, uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port, ParseDatabase(uri.AbsolutePath), user, password, useTls);
    }

    /// <summary>
    /// The gateway's client settings: never abort on a failed connect (keep retrying in the background), fail commands
    /// at once while disconnected instead of queueing them (<see cref="BacklogPolicy.FailFast"/>), and short timeouts.
    /// </summary>
    public ConfigurationOptions ToConfigurationOptions(TimeSpan commandTimeout, TimeSpan connectTimeout)
    {
        var options = new ConfigurationOptions
        {
            EndPoints = { IPAddress.TryParse(Host, out var address) ? new IPEndPoint(address, Port) : new DnsEndPoint(Host, Port) },
            User = User,
            Password = Password,
            DefaultDatabase = Database,
            Ssl = UseTls,
            AbortOnConnectFail = false,
            BacklogPolicy = BacklogPolicy.FailFast,

            // One connect cycle: decisions that arrive while the replica starts wait for it, so it must be bounded.
            ConnectRetry = 1,
            ConnectTimeout = Milliseconds(connectTimeout),
            AsyncTimeout = Milliseconds(commandTimeout),
            SyncTimeout = Milliseconds(commandTimeout),

            // Timeouts are only noticed on a heartbeat (default every second); check often enough to honour the budget.
            HeartbeatInterval = TimeSpan.FromMilliseconds(Math.Clamp(commandTimeout.TotalMilliseconds / 4, 50, 1000)),
            ClientName = "mcp-gateway",
        };
        if (UseTls)
        {
            options.SslHost = Host;
        }

        return options;
    }

    public override string ToString()
    {
        var builder = new StringBuilder(UseTls ? "rediss://" : "redis://");
        if (User is not null)
        {
            builder.Append(User);
        }

        if (Password is not null)
        {
            builder.Append(":***");
        }

        if (User is not null || Password is not null)
        {
            builder.Append('@');
        }

        var host = Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;
        return builder.Append(host).Append(':').Append(Port).Append('/').Append(Database).ToString();
    }

    private static int Milliseconds(TimeSpan duration) => (int)Math.Clamp(Math.Ceiling(duration.TotalMilliseconds), 1, int.MaxValue);

    private static (string? User, string? Password) ParseUserInfo(string userInfo)
    {
        if (userInfo.Length == 0)
        {
            return (null, null);
        }

        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            // redis://secret@host is the common password-only form.
            return (null, Uri.UnescapeDataString(userInfo));
        }

        var user = Uri.UnescapeDataString(userInfo[..colon]);
        var password = Uri.UnescapeDataString(userInfo[(colon + 1)..]);
        return (user.Length == 0 ? null : user, password.Length == 0 ? null : password);
    }

    private static int ParseDatabase(string path)
    {
        var text = path.AsSpan().TrimStart('/');
        if (text.IsEmpty)
        {
            return 0;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                throw Invalid("the path must be the database number, e.g. /0");
            }
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var db))
        {
            throw Invalid("the database number is too large");
        }

        return db;
    }

    private static FormatException Invalid(string problem) =>
        new($"Invalid Redis URL ({EnvironmentVariable}): {problem}. Expected redis://[user:password@]host:port/db or rediss://... for TLS.");
}
