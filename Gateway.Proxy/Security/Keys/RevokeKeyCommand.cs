namespace Gateway.Proxy.Security.Keys;

internal static class RevokeKeyCommand
{
    private static readonly HashSet<string> s_options = ["file"];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter error, KeysCommandSettings settings)
    {
        var arguments = CommandArguments.Parse(args, s_options, out var parseError);
        if (arguments is null)
        {
            return await KeysCommandLine.UsageFailureAsync(error, parseError!);
        }

        if (arguments.Positional.Count != 1)
        {
            return await KeysCommandLine.UsageFailureAsync(error, "'revoke' takes exactly one key id, e.g. keys revoke 3f9a0c1d2e4b5a69");
        }

        // Accept the whole key too, so an operator holding a leaked key can revoke it without looking up its id.
        var id = ApiKeyFormat.TryGetId(arguments.Positional[0], out var keyId) ? keyId.ToString() : arguments.Positional[0];
        var file = settings.FileFor(arguments);
        var document = await ApiKeyFile.ReadAsync(file);
        var record = document.Keys.FirstOrDefault(k => k.Id == id);
        if (record is null)
        {
            await error.WriteLineAsync($"error: no key with id '{id}' in {file}; 'keys list' shows the ids");
            return KeysCommandLine.Failed;
        }

        if (record.Revoked is { } revokedAt && revokedAt <= settings.Time.GetUtcNow())
        {
            await error.WriteLineAsync($"Key {id} was already revoked at {revokedAt:u}.");
            return KeysCommandLine.Success;
        }

        record.Revoked = settings.Time.GetUtcNow();
        await ApiKeyFile.WriteAsync(file, document);
        await error.WriteLineAsync($"Revoked key {id} ('{record.Subject}') in {file}; the gateway rejects it once it reloads the file.");
        return KeysCommandLine.Success;
    }
}
