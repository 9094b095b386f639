using System.Text.Json;

namespace Gateway.Transforms.Schema;

/// <summary>
/// Resolves a schema's local <c>$ref</c>s (<c>#</c> or an RFC 6901 JSON pointer fragment) against its root, remembers
/// each compiled target (so a schema that references one definition from many places, or in a chain, is compiled in
/// linear time) and which targets are being compiled (so a recursive reference is found, not followed forever).
/// </summary>
internal sealed class SchemaReferences
{
    private const int MaxIdScanDepth = 64;

    private readonly Dictionary<string, SchemaNode> _compiled = new(StringComparer.Ordinal);
    private readonly HashSet<string> _compiling = new(StringComparer.Ordinal);
    private bool? _hasNestedId;

    public enum Resolution
    {
        Found,
        NotLocal,
        Missing,
        NestedId,
    }

    public JsonElement Root { get; set; }

    /// <param name="key">The reference with its percent-escapes decoded: one key for every spelling of a target.</param>
    public Resolution Resolve(string reference, out JsonElement target, out List<string> segments, out string key)
    {
        target = default;
        segments = [];
        key = reference;
        if (!reference.StartsWith('#'))
        {
            return Resolution.NotLocal;
        }

        // "#foo" is a plain-name fragment ($anchor): not a pointer, and anchors are not resolved.
        var fragment = Uri.UnescapeDataString(reference[1..]);
        if (fragment.Length > 0 && fragment[0] != '/')
        {
            return Resolution.NotLocal;
        }

        key = "#" + fragment;

        _hasNestedId ??= HasNestedId(Root, 0);
        if (_hasNestedId.Value)
        {
            return Resolution.NestedId;
        }

        var current = Root;
        foreach (var raw in fragment.Length == 0 ? [] : fragment[1..].Split('/'))
        {
            var segment = raw.Replace("~1", "/").Replace("~0", "~");
            segments.Add(segment);
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segment, out var child))
            {
                current = child;
            }
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(segment, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
                && index < current.GetArrayLength() && (segment == "0" || segment[0] != '0'))
            {
                current = current[index];
            }
            else
            {
                return Resolution.Missing;
            }
        }

        target = current;
        return Resolution.Found;
    }

    public bool TryGetCompiled(string reference, out SchemaNode node) => _compiled.TryGetValue(reference, out node!);

    public void Compiled(string reference, SchemaNode node) => _compiled[reference] = node;

    /// <summary>False when the reference is already being compiled: it refers to itself.</summary>
    public bool Enter(string reference) => _compiling.Add(reference);

    public void Exit(string reference) => _compiling.Remove(reference);

    // A subschema with its own $id starts a new base for references; the checker keeps one base (the root) and refuses
    // references in such schemas rather than resolve them against the wrong one. A property named "$id" counts too.
    private static bool HasNestedId(JsonElement element, int depth)
    {
        if (depth > MaxIdScanDepth)
        {
            return true;
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if ((depth > 0 && property.NameEquals("$id")) || HasNestedId(property.Value, depth + 1))
                    {
                        return true;
                    }
                }

                return false;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (HasNestedId(item, depth + 1))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }
}
