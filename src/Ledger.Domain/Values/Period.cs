using System.Globalization;
using System.Text.RegularExpressions;

namespace Ledger.Domain.Values;

public enum PeriodType { Duration, Instant }

/// <summary>
/// What a number is about (valid time): a fiscal year <c>FY2023</c>, a half <c>2023H1</c>, a quarter
/// <c>2023Q4</c>, an instant <c>2022-12-31</c>, or any other duration, first and last day inclusive,
/// <c>2023-02-01..2023-10-31</c> (nine months to date). Ids are URL-safe. Parsed without a calendar, <c>FY2023</c>
/// is the calendar year (the seeds' entities all close on 31 December); an entity with another year end names its
/// fiscal periods through its <see cref="FiscalCalendar"/>, and its figures are keyed by their explicit dates, so that
/// no key depends on a calendar (which may be inferred, and re-inferred, from filings).
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

    /// <summary>A duration by its dates, with its explicit id <c>yyyy-MM-dd..yyyy-MM-dd</c>.</summary>
    public static Period Between(DateOnly start, DateOnly end)
    {
        if (end < start) throw new ArgumentOutOfRangeException(nameof(end), "a duration cannot end before it starts");
        return new($"{Day(start)}..{Day(end)}", PeriodType.Duration, start, end);
    }

    /// <summary>The duration under the calendar-year calendar: <c>FY2023</c>, <c>2023H1</c>, <c>2023Q4</c> where it is one, else explicit.</summary>
    public static Period CalendarPeriod(DateOnly start, DateOnly end)
    {
        if (start.Day == 1 && end.Day == DateTime.DaysInMonth(end.Year, end.Month) && start.Year == end.Year)
        {
            var months = end.Month - start.Month + 1;
            if (months == 12) return FiscalYear(start.Year);
            if (months == 6 && start.Month is 1 or 7) return Half(start.Year, start.Month == 1 ? 1 : 2);
            if (months == 3 && (start.Month - 1) % 3 == 0) return Quarter(start.Year, (start.Month - 1) / 3 + 1);
        }
        return Between(start, end);
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
        // The calendar's first and last days have no day before (an opening balance) or after (an OIM end): not periods here.
        static bool Inside(DateOnly d) => d > DateOnly.MinValue && d < DateOnly.MaxValue;
        if (DateOnly.TryParseExact(t, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && Inside(date))
        {
            period = Instant(date);
            return true;
        }
        var dots = t.IndexOf("..", StringComparison.Ordinal);
        if (dots == 10 && t.Length == 22
            && DateOnly.TryParseExact(t[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            && DateOnly.TryParseExact(t[12..], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end)
            && start <= end && Inside(start) && Inside(end))
        {
            period = Between(start, end);
            return true;
        }
        return false;
    }

    public static Period Parse(string text) =>
        TryParse(text, out var p) ? p : throw new FormatException($"'{text}' is not a period ({Forms}).");

    /// <summary>The forms a period id takes, for error messages.</summary>
    public const string Forms = "FY2023, 2023H1, 2023Q4, 2022-12-31 or 2023-02-01..2023-10-31";

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public override string ToString() => Id;

    [GeneratedRegex(@"^FY(\d{4})$")] private static partial Regex FiscalYearPattern();
    [GeneratedRegex(@"^(\d{4})H([12])$")] private static partial Regex HalfPattern();
    [GeneratedRegex(@"^(\d{4})Q([1-4])$")] private static partial Regex QuarterPattern();
}
