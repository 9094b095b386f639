namespace Gateway.Proxy.Security.Keys;

internal static class CreateKeyCommand
{
    private static readonly HashSet<string> s_options = ["subject", "tenant", "tier", "scopes", "roles", "expires", "description", "file"];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, KeysCommandSettings settings)
    {
        var arguments = CommandArguments.Parse(args, s_options, out var parseError);
        if (arguments is null)
        {
            return await KeysCommandLine.UsageFailureAsync(error, parseError!);
        }

        if (arguments.Positional.Count > 0)
        {
            return await KeysCommandLine.UsageFailureAsync(error, $"'create' takes no positional arguments (got '{arguments.Positional[0]}')");
        }

        var now = settings.Time.GetUtcNow();
        var subject = arguments.Get("subject");
        var tier = arguments.Get("tier");
        var tenant = arguments.Get("tenant");
        var scopes = CommandArguments.SplitList(arguments.Get("scopes"));
        var roles = CommandArguments.SplitList(arguments.Get("roles"));
        if (!ScopeToken.IsValid(subject))
        {
            return await KeysCommandLine.UsageFailureAsync(error, "--subject is required: the identity the key stands for, e.g. --subject svc-ci (no spaces, quotes or commas)");
        }

        if (tier is null || !settings.Tiers.Contains(tier, StringComparer.OrdinalIgnoreCase))
        {
            return await KeysCommandLine.UsageFailureAsync(error, $"--tier must be one of {string.Join(", ", settings.Tiers)} (Gateway:Auth:Tiers)");
        }

        if (tenant is not null && !ScopeToken.IsValid(tenant))
        {
            return await KeysCommandLine.UsageFailureAsync(error, $"--tenant '{tenant}' may not be empty or contain spaces, quotes or commas");
        }

        if (scopes.Concat(roles).FirstOrDefault(s => !ScopeToken.IsValid(s)) is { } badName)
        {
            return await KeysCommandLine.UsageFailureAsync(error, $"scope or role '{badName}' may not contain spaces, quotes or commas");
        }

        var expiresText = arguments.Get("expires") ?? "90d";
        if (!KeyExpiry.TryParse(expiresText, now, out var expires))
        {
            return await KeysCommandLine.UsageFailureAsync(error, $"--expires '{expiresText}' is not a lifetime (90d, 12h, 30m), a future UTC date (2030-01-31) or 'never'");
        }

        var file = settings.FileFor(arguments);
        var document = await ApiKeyFile.ReadAsync(file);
        var (id, key) = ApiKeyFormat.Generate();
        document.Keys.Add(new ApiKeyRecord
        {
            Id = id,
            Hash = ApiKeyFormat.Hash(key),
            Subject = subject!,
            Tenant = tenant,
            Tier = settings.Tiers.First(t => t.Equals(tier, StringComparison.OrdinalIgnoreCase)),
            Scopes = scopes.ToList(),
            Roles = roles.ToList(),
            Description = arguments.Get("description"),
            Created = now,
            Expires = expires,
        });
        await ApiKeyFile.WriteAsync(file, document);

        await output.WriteLineAsync(key);
        await error.WriteLineAsync($"Created key {id} for '{subject}' (tier {tier}{(tenant is null ? "" : ", tenant " + tenant)}), " +
            $"{(expires is { } at ? "expires " + at.ToString("u", System.Globalization.CultureInfo.InvariantCulture) : "never expires")}, in {file}.");
        await error.WriteLineAsync("The key is shown only this once; the file keeps only its hash.");
        return KeysCommandLine.Success;
    }
}
