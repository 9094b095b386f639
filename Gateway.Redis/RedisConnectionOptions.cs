using System.Globalization;
using System.Net.Security;
using System.Text;

namespace Gateway.Redis;

/// <summary>
/// Where and how to connect. Build with <see cref="Parse"/> and adjust with <c>with { ... }</c>.
/// <see cref="ToString"/> never includes the password.
/// </summary>
public sealed record RedisConnectionOptions
{
    public const string UrlEnvironmentVariable = "MCP_GATEWAY_REDIS_URL";
    public const int DefaultPort = 6379;

    public required string Host { get; init; }

    public int Port { get; init; } = DefaultPort;

    public int Database { get; init; }

    /// <summary>ACL user name; null authenticates with the password only (<c>AUTH password</c>).</summary>
    public string? User { get; init; }

    public string? Password { get; init; }

    public bool UseTls { get; init; }

    /// <summary>PEM or DER file with the CA that signed the server certificate, trusted instead of the system store.</summary>
    public string? TlsCaCertificatePath { get; init; }

    /// <summary>Replaces the default certificate validation (tests, pinning).</summary>
    public RemoteCertificateValidationCallback? TlsCertificateValidation { get; init; }

    /// <summary>Covers TCP connect, TLS handshake, AUTH and SELECT.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Budget of every command, from the call until the reply, including any wait for a connection.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>A connection whose oldest outstanding reply is this late is presumed dead and torn down.</summary>
    public TimeSpan StalledConnectionTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Multiplexed connections; each pipelines many commands.</summary>
    public int PoolSize { get; init; } = 2;

    public TimeSpan ReconnectBaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest bulk string accepted in a reply; anything larger is a protocol error.</summary>
    public int MaxBulkLength { get; init; } = 1024 * 1024;

    /// <summary>Largest array accepted in a reply.</summary>
    public int MaxArrayLength { get; init; } = 64 * 1024;

    /// <summary>Largest complete reply (all nested parts) accepted.</summary>
    public int MaxReplyBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Commands in flight per connection before new ones fail fast instead of queueing without bound.</summary>
    public int MaxPendingCommands { get; init; } = 8192;

    /// <summary>Parses <c>redis://[[user]:password@]host[:port][/db]</c> or <c>rediss://...</c> (TLS).</summary>
    /// <exception cref="FormatException">The URL is malformed; the message names the problem and never repeats the URL.</exception>
    public static RedisConnectionOptions Parse(string url)
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
            throw Invalid("query strings and fragments are not supported; set timeouts in code");
        }

        var (user, password) = ParseUserInfo(uri.UserInfo);
        return new RedisConnectionOptions
        {
            Host = host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port,
            Database = ParseDatabase(uri.AbsolutePath),
            User = user,
            Password = password,
            UseTls = useTls,
        };
    }

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
        new($"Invalid Redis URL ({UrlEnvironmentVariable}): {problem}. Expected redis://[user:password@]host:port/db or rediss://... for TLS.");

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

        return builder.Append(Host).Append(':').Append(Port).Append('/').Append(Database).ToString();
    }
}
