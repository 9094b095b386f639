using System.Text.Json;

namespace Gateway.Transforms.Schema;

/// <summary>
/// A JSON number read both as decimal (exact for typical literals like 0.1) and as double (covers any magnitude).
/// Comparing by double first, then by decimal to break ties, keeps 1e-30 above 0 and 2^53+1 above 2^53.
/// </summary>
internal readonly struct SchemaNumber
{
    private readonly decimal _decimal;
    private readonly double _double;
    private readonly bool _hasDecimal;

    private SchemaNumber(decimal exact, bool hasDecimal, double approximate)
    {
        _decimal = exact;
        _hasDecimal = hasDecimal;
        _double = approximate;
    }

    /// <summary>Reads a number element without allocating; the caller guarantees ValueKind is Number.</summary>
    public static SchemaNumber Read(JsonElement number)
    {
        bool hasDecimal = number.TryGetDecimal(out decimal exact);
        if (!number.TryGetDouble(out double approximate))
        {
            // Only overflow makes TryGetDouble fail; the sign is the only thing left to compare by.
            approximate = IsNegativeLiteral(number) ? double.NegativeInfinity : double.PositiveInfinity;
        }
        return new SchemaNumber(exact, hasDecimal, approximate);
    }

    public bool IsInteger =>
        (!_hasDecimal || decimal.Truncate(_decimal) == _decimal)
        && (!double.IsFinite(_double) || Math.Floor(_double) == _double);

    /// <summary>Equal numbers (by <see cref="CompareTo"/>) have equal doubles, so this agrees with equality.</summary>
    public int Hash => _double.GetHashCode();

    public bool IsPositive => _double > 0 || (_hasDecimal && _decimal > 0);

    public int CompareTo(SchemaNumber other)
    {
        int byDouble = _double.CompareTo(other._double);
        return byDouble != 0 || !_hasDecimal || !other._hasDecimal ? byDouble : _decimal.CompareTo(other._decimal);
    }

    public bool IsMultipleOf(SchemaNumber divisor)
    {
        if (_hasDecimal && divisor._hasDecimal && divisor._decimal != 0)
        {
            return _decimal % divisor._decimal == 0;
        }
        double quotient = _double / divisor._double;
        return double.IsFinite(quotient) && Math.Abs(quotient - Math.Round(quotient)) <= 1e-9 * Math.Max(1, Math.Abs(quotient));
    }

    /// <summary>A non-negative integer that fits in int, as used by minLength and friends.</summary>
    public bool TryGetCount(out int count)
    {
        count = 0;
        if (!IsInteger || _double < 0 || _double > int.MaxValue) return false;
        count = (int)_double;
        return true;
    }

    private static bool IsNegativeLiteral(JsonElement number) =>
        System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(number) is [(byte)'-', ..];
}
