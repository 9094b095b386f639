using System.Text.Json;

namespace Gateway.Transforms.Federation;

/// <summary>Reads the keys of a Stdio upstream (<c>Command</c>, <c>Arguments</c>, <c>Environment</c>, <c>WorkingDirectory</c>), one precise error per mistake.</summary>
internal static class UpstreamProcessParser
{
    public static UpstreamProcess? Parse(JsonElement element, string owner, List<string> errors)
    {
        var first = errors.Count;
        var command = String(element, "Command", owner, errors);
        if (string.IsNullOrWhiteSpace(command) || command.Any(char.IsControl))
        {
            errors.Add($"{owner}: the Stdio transport needs 'Command': the program to run, e.g. \"node\" or \"/usr/local/bin/my-server\"");
        }

        var arguments = new List<string>();
        if (Get(element, "Arguments") is { } list)
        {
            if (list.ValueKind != JsonValueKind.Array)
            {
                errors.Add($"{owner}: 'Arguments' must be an array of strings, e.g. [\"server.js\", \"stdio\"]");
            }
            else
            {
                foreach (var item in list.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String || item.GetString()!.Contains('\0'))
                    {
                        errors.Add($"{owner}: 'Arguments' entries must be strings");
                        continue;
                    }

                    arguments.Add(item.GetString()!);
                }
            }
        }

        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Get(element, "Environment") is { } variables)
        {
            if (variables.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"{owner}: 'Environment' must be an object of variable names to string values");
            }
            else
            {
                foreach (var variable in variables.EnumerateObject())
                {
                    if (variable.Name.Length == 0 || variable.Name.Contains('=') || variable.Name.Contains('\0'))
                    {
                        errors.Add($"{owner}: 'Environment' variable name '{variable.Name}' is invalid (empty, or contains '=')");
                    }
                    else if (variable.Value.ValueKind != JsonValueKind.String || variable.Value.GetString()!.Contains('\0'))
                    {
                        errors.Add($"{owner}: 'Environment.{variable.Name}' must be a string");
                    }
                    else
                    {
                        environment[variable.Name] = variable.Value.GetString()!;
                    }
                }
            }
        }

        var directory = String(element, "WorkingDirectory", owner, errors);
        if (directory is not null && !Directory.Exists(directory))
        {
            errors.Add($"{owner}: 'WorkingDirectory' '{directory}' is not an existing directory");
        }

        return errors.Count > first ? null : new UpstreamProcess(command!, arguments, environment, directory);
    }

    private static string? String(JsonElement element, string key, string owner, List<string> errors)
    {
        if (Get(element, key) is not { } value || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        errors.Add($"{owner}: '{key}' must be a string");
        return null;
    }

    private static JsonElement? Get(JsonElement element, string key)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, key, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }
}
