using System.Buffers;

namespace Gateway.Transforms.Validation.Paths;

/// <summary>Win32 naming rules that do not depend on the host OS.</summary>
internal static class WindowsNames
{
    public static readonly SearchValues<char> ForbiddenNameCharacters = SearchValues.Create("<>\"|?*");

    /// <summary>
    /// True for CON, PRN, AUX, NUL, CONIN$, CONOUT$, COM0-9, LPT0-9 and COM/LPT with superscript 1-3, also when
    /// followed by an extension or trailing spaces ("nul.txt", "con ", "aux .log"): Win32 maps all of these to devices.
    /// </summary>
    public static bool IsReservedDeviceName(ReadOnlySpan<char> segment)
    {
        int stem = segment.IndexOfAny('.', ':');
        ReadOnlySpan<char> name = (stem >= 0 ? segment[..stem] : segment).TrimEnd(' ');
        return name.Length switch
        {
            3 => name.Equals("CON", StringComparison.OrdinalIgnoreCase)
                 || name.Equals("PRN", StringComparison.OrdinalIgnoreCase)
                 || name.Equals("AUX", StringComparison.OrdinalIgnoreCase)
                 || name.Equals("NUL", StringComparison.OrdinalIgnoreCase),
            4 => IsNumberedDevice(name),
            6 => name.Equals("CONIN$", StringComparison.OrdinalIgnoreCase),
            7 => name.Equals("CONOUT$", StringComparison.OrdinalIgnoreCase),
            _ => false,
        };
    }

    private static bool IsNumberedDevice(ReadOnlySpan<char> name)
    {
        bool prefix = name[..3].Equals("COM", StringComparison.OrdinalIgnoreCase)
                      || name[..3].Equals("LPT", StringComparison.OrdinalIgnoreCase);
        return prefix && (char.IsAsciiDigit(name[3]) || name[3] is '\u00B9' or '\u00B2' or '\u00B3');
    }
}
