using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Gateway.Transforms.Federation.Pinning;

/// <summary>
/// The JSON Canonicalization Scheme of RFC 8785: object members sorted by their names' UTF-16 code units, no
/// insignificant whitespace, strings with only the escapes JSON requires, and numbers written as ECMAScript writes an
/// IEEE 754 double. Two documents that mean the same JSON give the same bytes, however they were formatted.
/// </summary>
public static class CanonicalJson
{
    public static byte[] Serialize(JsonElement element)
    {
        var builder = new StringBuilder();
        Write(builder, element);
        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    /// <summary>An object of the given members (names unique), canonicalized like any other object.</summary>
    public static byte[] SerializeObject(IEnumerable<KeyValuePair<string, JsonElement>> members)
    {
        var builder = new StringBuilder();
        WriteObject(builder, members);
        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    private static void WriteObject(StringBuilder builder, IEnumerable<KeyValuePair<string, JsonElement>> members)
    {
        builder.Append('{');
        var first = true;
        foreach (var (name, value) in members.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            if (!first)
            {
                builder.Append(',');
            }

            first = false;
            WriteString(builder, name);
            builder.Append(':');
            Write(builder, value);
        }

        builder.Append('}');
    }

    private static void Write(StringBuilder builder, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                // A repeated member name: the last one is what System.Text.Json and most parsers read.
                var members = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                foreach (var member in element.EnumerateObject())
                {
                    members[member.Name] = member.Value;
                }

                WriteObject(builder, members);
                break;
            case JsonValueKind.Array:
                builder.Append('[');
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (index++ > 0)
                    {
                        builder.Append(',');
                    }

                    Write(builder, item);
                }

                builder.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(builder, element.GetString()!);
                break;
            case JsonValueKind.Number:
                builder.Append(FormatNumber(element));
                break;
            case JsonValueKind.True:
                builder.Append("true");
                break;
            case JsonValueKind.False:
                builder.Append("false");
                break;
            default:
                builder.Append("null");
                break;
        }
    }

    private static void WriteString(StringBuilder builder, string value)
    {
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\b':
                    builder.Append("\\b");
                    break;
                case '\f':
                    builder.Append("\\f");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                case < ' ':
                    builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        builder.Append('"');
    }

    /// <summary>ECMAScript's Number::toString of the value as a double (RFC 8785 section 3.2.2.3).</summary>
    public static string FormatNumber(JsonElement number)
    {
        if (!number.TryGetDouble(out var value) || !double.IsFinite(value))
        {
            // Outside the range of a double: RFC 8785 has no form for it; the literal is the most faithful stand-in.
            return number.GetRawText();
        }

        return FormatNumber(value);
    }

    public static string FormatNumber(double value)
    {
        if (value == 0)
        {
            return "0";
        }

        // "E16" is not the shortest form; "R" is (since .NET Core 3.0), in the form d[.ddd]E±x or plain digits.
        var shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var (digits, exponent) = Decompose(shortest);
        var sign = value < 0 ? "-" : "";

        // digits d1..dk with the value 0.d1..dk × 10^n, as in ECMAScript's algorithm.
        var k = digits.Length;
        var n = exponent;
        string text;
        if (k <= n && n <= 21)
        {
            text = digits + new string('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            text = digits[..n] + "." + digits[n..];
        }
        else if (-6 < n && n <= 0)
        {
            text = "0." + new string('0', -n) + digits;
        }
        else
        {
            var e = n - 1;
            var mantissa = k == 1 ? digits : digits[..1] + "." + digits[1..];
            text = mantissa + "e" + (e >= 0 ? "+" : "-") + Math.Abs(e).ToString(CultureInfo.InvariantCulture);
        }

        return sign + text;
    }

    /// <summary>The significant digits (no leading or trailing zeros) and n such that the value is 0.digits × 10^n.</summary>
    private static (string Digits, int Exponent) Decompose(string shortest)
    {
        var mantissa = shortest;
        var exponent = 0;
        var e = shortest.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            mantissa = shortest[..e];
            exponent = int.Parse(shortest[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }

        var point = mantissa.IndexOf('.');
        var integerPart = point >= 0 ? mantissa[..point] : mantissa;
        var fraction = point >= 0 ? mantissa[(point + 1)..] : "";
        var all = integerPart + fraction;
        var n = integerPart.Length + exponent;
        var leading = 0;
        while (leading < all.Length - 1 && all[leading] == '0')
        {
            leading++;
        }

        var digits = all[leading..].TrimEnd('0');
        return (digits.Length == 0 ? "0" : digits, n - leading);
    }
}
