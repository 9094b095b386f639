using System.Globalization;

namespace Gateway.Proxy.Security.Keys;

internal static class ListKeysCommand
{
    private static readonly HashSet<string> s_options = ["file"];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, KeysCommandSettings settings)
    {
        var arguments = CommandArguments.Parse(args, s_options, out var parseError);
        if (arguments is null)
        {
            return await KeysCommandLine.UsageFailureAsync(error, parseError!);
        }

        if (arguments.Positional.Count > 0)
        {
            return await KeysCommandLine.UsageFailureAsync(error, $"'list' takes no positional arguments (got '{arguments.Positional[0]}')");
        }

        var file = settings.FileFor(arguments);
        var document = await ApiKeyFile.ReadAsync(file);
        var now = settings.Time.GetUtcNow();
        await output.WriteLineAsync("ID                STATUS   SUBJECT              TENANT       TIER         EXPIRES               SCOPES");
        foreach (var key in document.Keys)
        {
            var status = KeyState.Of(key, now);
            var expires = key.Expires?.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture) ?? "never";
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{key.Id,-17} {status,-8} {key.Subject,-20} {key.Tenant ?? "-",-12} {key.Tier,-12} {expires,-21} {string.Join(',', key.Scopes)}"));
        }

        await error.WriteLineAsync($"{document.Keys.Count} key(s) in {file}.");
        return KeysCommandLine.Success;
    }
}
