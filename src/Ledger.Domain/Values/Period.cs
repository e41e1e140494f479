using System.Globalization;
using System.Text.RegularExpressions;

namespace Ledger.Domain.Values;

public enum PeriodType { Duration, Instant }

/// <summary>
/// What a number is about (valid time): a fiscal year <c>FY2023</c>, a half <c>2023H1</c>, a quarter
/// <c>2023Q4</c>, or an instant <c>2022-12-31</c>. Fiscal years are calendar years: every entity in the
/// seeds closes its books on 31 December.
/// </summary>
public sealed partial record Period
{
    private Period(string id, PeriodType type, DateOnly start, DateOnly end)
    {
        Id = id;
        Type = type;
        Start = start;
        End = end;
    }

    public string Id { get; }
    public PeriodType Type { get; }
    /// <summary>First day of a duration; the date itself for an instant.</summary>
    public DateOnly Start { get; }
    /// <summary>Last day of a duration; the date itself for an instant.</summary>
    public DateOnly End { get; }

    public static Period FiscalYear(int year) =>
        new($"FY{year}", PeriodType.Duration, new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));

    public static Period Half(int year, int half) => half switch
    {
        1 => new($"{year}H1", PeriodType.Duration, new DateOnly(year, 1, 1), new DateOnly(year, 6, 30)),
        2 => new($"{year}H2", PeriodType.Duration, new DateOnly(year, 7, 1), new DateOnly(year, 12, 31)),
        _ => throw new ArgumentOutOfRangeException(nameof(half)),
    };

    public static Period Quarter(int year, int quarter)
    {
        if (quarter is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(quarter));
        var start = new DateOnly(year, (quarter - 1) * 3 + 1, 1);
        return new($"{year}Q{quarter}", PeriodType.Duration, start, start.AddMonths(3).AddDays(-1));
    }

    public static Period Instant(DateOnly date) =>
        new(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), PeriodType.Instant, date, date);

    /// <summary>
    /// An opening balance "as at 1 January 2022" is the closing instant of the day before (XBRL convention).
    /// </summary>
    public static Period OpeningBalance(DateOnly openingDate) => Instant(openingDate.AddDays(-1));

    public static bool TryParse(string? text, out Period period)
    {
        period = null!;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var t = text.Trim();
        var m = FiscalYearPattern().Match(t);
        if (m.Success) { period = FiscalYear(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)); return true; }
        m = HalfPattern().Match(t);
        if (m.Success) { period = Half(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[2].Value[0] - '0'); return true; }
        m = QuarterPattern().Match(t);
        if (m.Success) { period = Quarter(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[2].Value[0] - '0'); return true; }
        if (DateOnly.TryParseExact(t, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            period = Instant(date);
            return true;
        }
        return false;
    }

    public static Period Parse(string text) =>
        TryParse(text, out var p) ? p : throw new FormatException($"'{text}' is not a period (FY2023, 2023H1, 2023Q4 or 2022-12-31).");

    public override string ToString() => Id;

    [GeneratedRegex(@"^FY(\d{4})$")] private static partial Regex FiscalYearPattern();
    [GeneratedRegex(@"^(\d{4})H([12])$")] private static partial Regex HalfPattern();
    [GeneratedRegex(@"^(\d{4})Q([1-4])$")] private static partial Regex QuarterPattern();
}
