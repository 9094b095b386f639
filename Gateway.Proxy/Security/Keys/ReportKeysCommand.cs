using System.Globalization;
using System.Text.Json;

namespace Gateway.Proxy.Security.Keys;

/// <summary>
/// <c>keys report</c>: each key's subject, tier, dates, days left and last use (from the audit trail), with the
/// <c>expired</c> and <c>expiring</c> flags the <c>McpApiKeyExpiringSoon</c> alert raises on (same keys, same window).
/// </summary>
internal static class ReportKeysCommand
{
    private static readonly HashSet<string> s_options = ["format", "audit", "warn-days", "file"];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, KeysCommandSettings settings)
    {
        var arguments = CommandArguments.Parse(args, s_options, out var parseError);
        if (arguments is null)
        {
            return await KeysCommandLine.UsageFailureAsync(error, parseError!);
        }

        if (arguments.Positional.Count > 0)
        {
            return await KeysCommandLine.UsageFailureAsync(error, $"'report' takes no positional arguments (got '{arguments.Positional[0]}')");
        }

        var format = arguments.Get("format") ?? "text";
        if (format is not ("text" or "json"))
        {
            return await KeysCommandLine.UsageFailureAsync(error, $"--format '{format}' is not supported; use text or json");
        }

        var warnText = arguments.Get("warn-days") ?? "7";
        if (!int.TryParse(warnText, NumberStyles.None, CultureInfo.InvariantCulture, out var warnDays) || warnDays is < 1 or > 3650)
        {
            return await KeysCommandLine.UsageFailureAsync(error, $"--warn-days '{warnText}' is not a number of days from 1 to 3650 (the alert uses 7)");
        }

        var now = settings.Time.GetUtcNow();
        var document = await ApiKeyFile.ReadAsync(settings.FileFor(arguments));
        var auditPath = arguments.Get("audit") is { } audit ? Path.GetFullPath(audit) : settings.AuditPath;
        var lastUse = auditPath is null ? null : await KeyLastUse.ReadAsync(auditPath);
        var rows = document.Keys.Select(key => Row(key, now, TimeSpan.FromDays(warnDays), lastUse?.LastUsed)).ToList();

        if (format == "json")
        {
            await output.WriteLineAsync(Json(rows, now));
        }
        else
        {
            await output.WriteLineAsync("ID                STATUS   SUBJECT              TIER         CREATED     EXPIRES     DAYS LEFT  LAST USED         FLAGS");
            foreach (var row in rows)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{row.Key.Id,-17} {row.Status,-8} {row.Key.Subject,-20} {row.Key.Tier,-12} {Date(row.Key.Created),-11} {(row.Key.Expires is { } e ? Date(e) : "never"),-11} {(row.DaysLeft is { } d ? d.ToString(CultureInfo.InvariantCulture) : "-"),-10} {(row.LastUsed is { } u ? u.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture) : "never"),-17} {Flags(row)}"));
            }
        }

        var expiring = rows.Count(r => r.Expiring || r.Expired);
        await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{rows.Count} key(s); {expiring} expired or expiring within {warnDays} day(s) and not replaced. ") +
            (lastUse is null ? "Last use: no audit trail configured." : $"Last use from {lastUse.FilesRead} audit file(s) at {auditPath}{(lastUse.UnreadableLines > 0 ? $" ({lastUse.UnreadableLines} unreadable line(s) skipped)" : "")}."));
        return KeysCommandLine.Success;
    }

    private sealed record ReportRow(ApiKeyRecord Key, string Status, int? DaysLeft, DateTimeOffset? LastUsed, bool Expired, bool Expiring);

    private static ReportRow Row(ApiKeyRecord key, DateTimeOffset now, TimeSpan warn, IReadOnlyDictionary<string, DateTimeOffset>? lastUsed)
    {
        var status = KeyState.Of(key, now);
        int? daysLeft = key.Expires is { } expires ? (int)Math.Floor((expires - now).TotalDays) : null;

        // The same keys the expiry metric exports (not revoked, not being retired by a rotation, with an expiry).
        var watched = key.Revoked is null && key.Expires is not null;
        var expired = watched && key.Expires <= now;
        var expiring = watched && !expired && key.Expires - now < warn;
        DateTimeOffset? used = lastUsed is not null && lastUsed.TryGetValue(key.Id, out var at) ? at : null;
        return new ReportRow(key, status, daysLeft, used, expired, expiring);
    }

    private static string Flags(ReportRow row) =>
        row.Expired ? "EXPIRED" : row.Expiring ? "EXPIRING" : row.Key.ReplacedBy is { } next ? "replaced by " + next : "-";

    private static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Json(IReadOnlyList<ReportRow> rows, DateTimeOffset now)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("generated", now.UtcDateTime);
            json.WriteStartArray("keys");
            foreach (var row in rows)
            {
                json.WriteStartObject();
                json.WriteString("id", row.Key.Id);
                json.WriteString("subject", row.Key.Subject);
                json.WriteString("tenant", row.Key.Tenant);
                json.WriteString("tier", row.Key.Tier);
                json.WriteString("status", row.Status);
                json.WriteString("created", row.Key.Created.UtcDateTime);
                WriteNullable(json, "expires", row.Key.Expires);
                if (row.DaysLeft is { } days)
                {
                    json.WriteNumber("days_left", days);
                }
                else
                {
                    json.WriteNull("days_left");
                }

                WriteNullable(json, "last_used", row.LastUsed);
                json.WriteString("replaced_by", row.Key.ReplacedBy);
                json.WriteBoolean("expired", row.Expired);
                json.WriteBoolean("expiring", row.Expiring);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, DateTimeOffset? value)
    {
        if (value is { } at)
        {
            json.WriteString(name, at.UtcDateTime);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
