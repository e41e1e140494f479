using System.Globalization;
using System.Text;
using Ledger.Domain.Values;

namespace Ledger.Domain.Parsing;

/// <summary>The outcome of reading a printed number: an exact value with its decimals, or a nil cell.</summary>
public sealed record ParsedNumber(decimal? Value, int? Decimals, NilKind? Nil, bool Approximate, string? CurrencyHint, bool LowerBound = false)
{
    public Amount ToAmount(string unit) => Value is { } v ? Amount.Of(v, unit, Decimals, Approximate) with { LowerBound = LowerBound } : Amount.NilOf(Nil!.Value, unit);
}

/// <summary>
/// Reads numbers as the announcements print them: <c>(1,979,042)</c>, <c>–10.6%</c>, <c>(9.4)%</c>,
/// <c>56.79億</c>, <c>人民幣5,007.3百萬元</c>, <c>約</c>, dashes for nil, 不适用 for not applicable,
/// full-width digits. Parsing never guesses: anything else is an error that says what is wrong.
/// </summary>
public static class PrintedNumber
{
    // Longest first, so that 百萬 wins over 萬 and 十億 over 億.
    private static readonly (string Text, int Exponent)[] InlineScales =
    [
        ("百萬", 6), ("百万", 6), ("十億", 9), ("十亿", 9), ("千萬", 7), ("千万", 7),
        ("億", 8), ("亿", 8), ("萬", 4), ("万", 4), ("%", -2),
    ];

    private static readonly string[] CurrencyPrefixes = ["人民幣", "人民币", "RMB", "US$", "USD", "HK$", "HKD", "港幣", "港币", "美元", "¥", "￥"];
    private static readonly string[] NotApplicable = ["不适用", "不適用", "N/A", "n/a", "NA", "不適用的"];
    // 近 (nearly: 近200家ISV夥伴) is an approximation too: the figure is about that, not exactly it.
    private static readonly string[] ApproximatePrefixes = ["約為", "约为", "約", "约", "近", "approximately", "approx."];
    // "More than": the number is a floor, not a value (超過740萬家客戶; 超過了20億台; 突破1,900家, "broke through"). Matched after spaces
    // are removed; longest first.
    private static readonly string[] LowerBoundPrefixes = ["超過了", "超过了", "超過", "超过", "突破", "逾", "超", "morethan", "over"];
    private static readonly string[] LowerBoundSuffixes = ["以上", "多"];

    public static ParsedNumber Parse(string printed, string? scale = null) =>
        TryParse(printed, scale, out var result, out var error) ? result : throw new FormatException(error);

    public static bool TryParse(string? printed, string? scale, out ParsedNumber result, out string error)
    {
        result = null!;
        error = "";
        if (printed is null) { error = "no printed value"; return false; }
        if (!Scale.TryGetExponent(scale, out var tableExponent))
        {
            error = $"unknown scale '{scale}' (expected one of: {string.Join(", ", Scale.Names)})";
            return false;
        }

        var s = Normalise(printed);
        if (s.Length == 0) { error = "empty value"; return false; }
        if (NotApplicable.Contains(s)) { result = new(null, null, NilKind.NotApplicable, false, null); return true; }
        if (s is "-" or "--" or "---") { result = new(null, null, NilKind.Nil, false, null); return true; }

        var lowerBound = false;
        foreach (var prefix in LowerBoundPrefixes)
        {
            if (s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) { lowerBound = true; s = s[prefix.Length..]; break; }
        }
        // ...or after it: 90多個車型 (90-odd, so more than 90), 覆蓋率在99.5%以上 (99.5% or more).
        foreach (var suffix in LowerBoundSuffixes)
        {
            if (s.EndsWith(suffix, StringComparison.Ordinal) && s.Length > suffix.Length) { lowerBound = true; s = s[..^suffix.Length]; break; }
        }
        var approximate = false;
        foreach (var prefix in ApproximatePrefixes)
        {
            if (s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) { approximate = true; s = s[prefix.Length..]; break; }
        }

        var negative = false;
        if (s.StartsWith('-')) { negative = true; s = s[1..]; }

        string? currency = null;
        foreach (var prefix in CurrencyPrefixes)
        {
            if (s.StartsWith(prefix, StringComparison.Ordinal)) { currency = CurrencyOf(prefix); s = s[prefix.Length..]; break; }
        }
        if (s.EndsWith("美元", StringComparison.Ordinal)) { currency ??= "USD"; s = s[..^2]; }
        else if (s.EndsWith("港元", StringComparison.Ordinal)) { currency ??= "HKD"; s = s[..^2]; }
        else if (s.EndsWith('元')) s = s[..^1];

        // Parentheses may close before a trailing scale or percent sign: (9.4)%.
        int? inlineExponent = null;
        foreach (var (text, exponent) in InlineScales)
        {
            if (s.EndsWith(text, StringComparison.Ordinal)) { inlineExponent = exponent; s = s[..^text.Length]; break; }
        }
        if (s.StartsWith('(') && s.EndsWith(')'))
        {
            if (negative) { error = $"'{printed}' is negative twice (a minus sign and parentheses)"; return false; }
            negative = true;
            s = s[1..^1];
            if (inlineExponent is null)
            {
                foreach (var (text, exponent) in InlineScales)
                {
                    if (s.EndsWith(text, StringComparison.Ordinal)) { inlineExponent = exponent; s = s[..^text.Length]; break; }
                }
            }
        }
        if (s.StartsWith('-'))
        {
            if (negative) { error = $"'{printed}' is negative twice"; return false; }
            negative = true;
            s = s[1..];
        }

        if (inlineExponent is not null && tableExponent != 0 && !(inlineExponent == -2 && tableExponent == -2))
        {
            error = $"'{printed}' carries its own scale but the table's scale '{scale}' applies as well";
            return false;
        }
        var exponentTotal = inlineExponent ?? tableExponent;

        if (!TryReadDigits(s, out var digits, out var fractionDigits, out var digitsError))
        {
            error = $"'{printed}' is not a number: {digitsError}";
            return false;
        }

        decimal value;
        try { value = digits * Amount.PowerOfTen(exponentTotal); }
        catch (OverflowException) { error = $"'{printed}' is too large for an exact decimal at scale '{scale}'"; return false; }
        if (negative) value = -value;
        result = new(value, fractionDigits - exponentTotal, null, approximate, currency, lowerBound);
        return true;
    }

    /// <summary>
    /// Prints a value the way the announcements do: thousands separators, parentheses for negatives,
    /// exactly as many fraction digits as its decimals allow at the given scale.
    /// </summary>
    public static string Format(decimal value, int decimals, string? scale = null, bool parenthesesForNegatives = true)
    {
        if (!Scale.TryGetExponent(scale, out var exponent)) throw new ArgumentException($"unknown scale '{scale}'", nameof(scale));
        var scaled = value / Amount.PowerOfTen(exponent);
        var fraction = Math.Max(0, decimals + exponent);
        var text = Math.Abs(scaled).ToString("#,0." + new string('0', fraction), CultureInfo.InvariantCulture).TrimEnd('.');
        if (fraction == 0) text = Math.Abs(scaled).ToString("#,0", CultureInfo.InvariantCulture);
        if (scale is "percent" or "%") text += "%";
        if (value >= 0) return text;
        return parenthesesForNegatives ? (text.EndsWith('%') ? $"({text[..^1]})%" : $"({text})") : "-" + text;
    }

    private static bool TryReadDigits(string s, out decimal digits, out int fractionDigits, out string error)
    {
        digits = 0;
        fractionDigits = 0;
        error = "";
        if (s.Length == 0) { error = "no digits"; return false; }
        var dot = s.IndexOf('.');
        var integerPart = dot < 0 ? s : s[..dot];
        var fractionPart = dot < 0 ? "" : s[(dot + 1)..];
        if (dot >= 0 && fractionPart.Length == 0) { error = "nothing after the decimal point"; return false; }
        if (fractionPart.Any(c => !char.IsAsciiDigit(c))) { error = $"unexpected '{fractionPart.First(c => !char.IsAsciiDigit(c))}' after the decimal point"; return false; }
        if (integerPart.Length == 0) { error = "no digits before the decimal point"; return false; }
        if (integerPart.Contains(','))
        {
            var groups = integerPart.Split(',');
            if (groups[0].Length is < 1 or > 3 || groups.Skip(1).Any(g => g.Length != 3))
            {
                error = "thousands separators are misplaced";
                return false;
            }
            integerPart = string.Concat(groups);
        }
        var bad = integerPart.FirstOrDefault(c => !char.IsAsciiDigit(c));
        if (bad != default) { error = $"unexpected '{bad}'"; return false; }
        if (integerPart.Length + fractionPart.Length > 27) { error = "too many digits for an exact decimal"; return false; }
        digits = decimal.Parse(integerPart + (fractionPart.Length > 0 ? "." + fractionPart : ""), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        fractionDigits = fractionPart.Length;
        return true;
    }

    /// <summary>Full-width forms to ASCII, every dash and minus to '-', white space removed.</summary>
    private static string Normalise(string printed)
    {
        var sb = new StringBuilder(printed.Length);
        foreach (var c in printed.Normalize(NormalizationForm.FormC))
        {
            switch (c)
            {
                case >= '０' and <= '９': sb.Append((char)('0' + (c - '０'))); break;
                case '，': sb.Append(','); break;
                case '．': sb.Append('.'); break;
                case '（': sb.Append('('); break;
                case '）': sb.Append(')'); break;
                case '％': sb.Append('%'); break;
                case '－' or '–' or '—' or '−' or '‐' or '‒' or '―': sb.Append('-'); break;
                case '＄': sb.Append('$'); break;
                default:
                    if (!char.IsWhiteSpace(c)) sb.Append(c);
                    break;
            }
        }
        return sb.ToString();
    }

    private static string CurrencyOf(string prefix) => prefix switch
    {
        "人民幣" or "人民币" or "RMB" or "¥" or "￥" => "CNY",
        "US$" or "USD" or "美元" => "USD",
        _ => "HKD",
    };
}
