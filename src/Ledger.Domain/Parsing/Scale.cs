namespace Ledger.Domain.Parsing;

/// <summary>
/// The multiplier a table states for its printed numbers ("單位：人民幣千元", "单位:元"), as a power of ten.
/// </summary>
public static class Scale
{
    private static readonly Dictionary<string, int> Exponents = new(StringComparer.OrdinalIgnoreCase)
    {
        ["units"] = 0, ["元"] = 0,
        ["thousands"] = 3, ["千"] = 3,
        ["萬"] = 4, ["万"] = 4, ["ten-thousands"] = 4,
        ["millions"] = 6, ["百萬"] = 6, ["百万"] = 6,
        ["億"] = 8, ["亿"] = 8, ["hundred-millions"] = 8,
        ["billions"] = 9, ["十億"] = 9, ["十亿"] = 9,
        ["percent"] = -2, ["%"] = -2,
    };

    public static IReadOnlyCollection<string> Names => Exponents.Keys;

    public static bool TryGetExponent(string? name, out int exponent)
    {
        exponent = 0;
        if (string.IsNullOrWhiteSpace(name)) return true; // no scale stated: base units
        return Exponents.TryGetValue(name.Trim(), out exponent);
    }
}
