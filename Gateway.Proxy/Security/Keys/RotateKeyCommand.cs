namespace Gateway.Proxy.Security.Keys;

/// <summary>
/// <c>keys rotate &lt;id&gt;</c>: a new key with the old one's subject, tenant, tier, scopes and roles, printed once on
/// stdout; the old key keeps working for the grace period (so clients can switch) and is revoked when it ends.
/// </summary>
internal static class RotateKeyCommand
{
    private static readonly HashSet<string> s_options = ["grace", "expires", "file"];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, KeysCommandSettings settings)
    {
        var arguments = CommandArguments.Parse(args, s_options, out var parseError);
        if (arguments is null)
        {
            return await KeysCommandLine.UsageFailureAsync(error, parseError!);
        }

        if (arguments.Positional.Count != 1)
        {
            return await KeysCommandLine.UsageFailureAsync(error, "'rotate' takes exactly one key id, e.g. keys rotate 3f9a0c1d2e4b5a69");
        }

        var now = settings.Time.GetUtcNow();
        var graceText = arguments.Get("grace") ?? "24h";
        if (!KeyExpiry.TryParse(graceText, now, out var graceEnd) || graceEnd is null)
        {
            return await KeysCommandLine.UsageFailureAsync(error, $"--grace '{graceText}' is not a period (24h, 7d, 30m) or a future UTC date; the old key stays valid that long");
        }

        var expiresText = arguments.Get("expires") ?? "90d";
        if (!KeyExpiry.TryParse(expiresText, now, out var expires))
        {
            return await KeysCommandLine.UsageFailureAsync(error, $"--expires '{expiresText}' is not a lifetime (90d, 12h, 30m), a future UTC date (2030-01-31) or 'never'");
        }

        var id = ApiKeyFormat.TryGetId(arguments.Positional[0], out var keyId) ? keyId.ToString() : arguments.Positional[0];
        var file = settings.FileFor(arguments);
        var document = await ApiKeyFile.ReadAsync(file);
        var old = document.Keys.FirstOrDefault(k => k.Id == id);
        if (old is null)
        {
            await error.WriteLineAsync($"error: no key with id '{id}' in {file}; 'keys list' shows the ids");
            return KeysCommandLine.Failed;
        }

        var state = KeyState.Of(old, now);
        if (state != KeyState.Active)
        {
            await error.WriteLineAsync($"error: key {id} is {state}{(old.ReplacedBy is null ? "" : " (replaced by " + old.ReplacedBy + ")")}; only an active key can be rotated. Create a new one with 'keys create'.");
            return KeysCommandLine.Failed;
        }

        // The old key never outlives its own expiry, even when the grace period would.
        var retireAt = old.Expires is { } oldExpiry && oldExpiry < graceEnd.Value ? oldExpiry : graceEnd.Value;
        var (newId, key) = ApiKeyFormat.Generate();
        document.Keys.Add(new ApiKeyRecord
        {
            Id = newId,
            Hash = ApiKeyFormat.Hash(key),
            Subject = old.Subject,
            Tenant = old.Tenant,
            Tier = old.Tier,
            Scopes = [.. old.Scopes],
            Roles = [.. old.Roles],
            Description = old.Description,
            Created = now,
            Expires = expires,
        });
        old.Revoked = retireAt;
        old.ReplacedBy = newId;
        await ApiKeyFile.WriteAsync(file, document);

        await output.WriteLineAsync(key);
        await error.WriteLineAsync($"Rotated key {id} ('{old.Subject}'): new key {newId}, " +
            $"{(expires is { } at ? "expires " + at.ToString("u", System.Globalization.CultureInfo.InvariantCulture) : "never expires")}; " +
            $"the old key stays valid until {retireAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture)} and is revoked then. File: {file}.");
        await error.WriteLineAsync("The new key is shown only this once; the file keeps only its hash.");
        return KeysCommandLine.Success;
    }
}
