using Ledger.Domain.Values;

namespace Ledger.Domain.Checks;

/// <summary>
/// A translated column (US$ at RMB 7.2993 = US$1.00) agrees with its source column at its precision:
/// exactly when the source divided by the rate rounds to it; within rounding when the intervals meet,
/// or when it is less than one unit of its last printed digit away, which is what truncating instead of
/// rounding, or adding subtotals up from translated lines, gives (Kingsoft Cloud's US$ net loss (271,127)
/// for RMB (1,979,042), a direct translation of 271,127.97).
/// </summary>
public static class ConvenienceTranslationCheck
{
    public static (Verdict Verdict, decimal? Expected, decimal Gap) Check(Amount source, decimal rate, Amount translated)
    {
        if (source.IsNil || translated.IsNil) return (Verdict.Indeterminate, null, 0);
        var expected = source.Value!.Value / rate;
        var (sl, sh) = source.Interval();
        var (tl, th) = translated.Interval();
        var (el, eh) = (sl / rate, sh / rate);
        var gap = Math.Max(0, Math.Max(tl - eh, el - th));
        var exact = translated.Decimals is { } d && Calculation.RoundTo(expected, d) == translated.Value;
        var withinOneUnit = translated.Decimals is { } u && Math.Abs(expected - translated.Value!.Value) < Amount.PowerOfTen(-u);
        return (exact ? Verdict.Consistent : gap == 0 || withinOneUnit ? Verdict.ConsistentWithinRounding : Verdict.Inconsistent,
            translated.Decimals is { } dd ? Calculation.RoundTo(expected, dd) : expected, gap);
    }
}
