using System.Diagnostics.CodeAnalysis;
using System.Globalization;

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
public sealed record Period
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

    public static Period FiscalYear(int year) => FiscalYear(year, null);

    public static Period Half(int year, int half) => Half(year, half, null);

    public static Period Quarter(int year, int quarter) => Quarter(year, quarter, null);

    // id: the period's id as read, when it is the one printed here (TryParse), so as not to print it again.
    private static Period FiscalYear(int year, string? id) =>
        new(id ?? $"FY{year:D4}", PeriodType.Duration, new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));

    private static Period Half(int year, int half, string? id) => half switch
    {
        1 => new(id ?? $"{year:D4}H1", PeriodType.Duration, new DateOnly(year, 1, 1), new DateOnly(year, 6, 30)),
        2 => new(id ?? $"{year:D4}H2", PeriodType.Duration, new DateOnly(year, 7, 1), new DateOnly(year, 12, 31)),
        _ => throw new ArgumentOutOfRangeException(nameof(half)),
    };

    private static Period Quarter(int year, int quarter, string? id)
    {
        if (quarter is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(quarter));
        var end = quarter * 3;
        return new(id ?? $"{year:D4}Q{quarter}", PeriodType.Duration, new DateOnly(year, end - 2, 1), new DateOnly(year, end, DateTime.DaysInMonth(year, end)));
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

    /// <summary>The opening balance, unless the day before is the calendar's first, which is no period here (<see cref="TryParse"/>).</summary>
    public static bool TryOpeningBalance(DateOnly openingDate, [NotNullWhen(true)] out Period? period)
    {
        period = openingDate.DayNumber > DateOnly.MinValue.DayNumber + 1 ? OpeningBalance(openingDate) : null;
        return period is not null;
    }

    public static bool TryParse(string? text, out Period period)
    {
        period = null!;
        if (string.IsNullOrWhiteSpace(text)) return false;
        // Read character by character, not by regular expressions: every figure a statement or a rebuild reads parses its
        // period, and three matches allocated most of what working out a figure's dates did (docs/benchmarks.md,
        // 2026-12-06). The text, when it is the id the period prints, is kept as its id rather than printed again.
        var t = text.Trim();
        // The calendar's first and last days have no day before (an opening balance) or after (an OIM end): not periods here.
        static bool Inside(DateOnly d) => d > DateOnly.MinValue && d < DateOnly.MaxValue;
        if (t.Length == 6 && t.StartsWith("FY", StringComparison.Ordinal) && Year(t.AsSpan(2, 4)) is { } fy)
            period = FiscalYear(fy, t);
        else if (t.Length == 6 && Year(t.AsSpan(0, 4)) is { } y && t[4] == 'H' && t[5] is '1' or '2')
            period = Half(y, t[5] - '0', t);
        else if (t.Length == 6 && Year(t.AsSpan(0, 4)) is { } q && t[4] == 'Q' && t[5] is >= '1' and <= '4')
            period = Quarter(q, t[5] - '0', t);
        if (period is not null)
        {
            // Year 1's first periods start on the calendar's first day, year 9999's last end on its last.
            if (Inside(period.Start) && Inside(period.End)) return true;
            period = null!;
            return false;
        }
        if (DateOnly.TryParseExact(t, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && Inside(date))
        {
            // Printed as it was read: "yyyy-MM-dd" both ways.
            period = new(t, PeriodType.Instant, date, date);
            return true;
        }
        var dots = t.IndexOf("..", StringComparison.Ordinal);
        if (dots == 10 && t.Length == 22
            && DateOnly.TryParseExact(t.AsSpan(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            && DateOnly.TryParseExact(t.AsSpan(12), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end)
            && start <= end && Inside(start) && Inside(end))
        {
            period = new(t, PeriodType.Duration, start, end);
            return true;
        }
        return false;
    }

    /// <summary>Four ASCII digits as a year the calendar has (1 to 9999); null otherwise.</summary>
    private static int? Year(ReadOnlySpan<char> digits)
    {
        var year = 0;
        foreach (var c in digits)
        {
            if (c is < '0' or > '9') return null;
            year = year * 10 + (c - '0');
        }
        return year >= 1 ? year : null;
    }

    public static Period Parse(string text) =>
        TryParse(text, out var p) ? p : throw new FormatException($"'{text}' is not a period ({Forms}).");

    /// <summary>The forms a period id takes, for error messages.</summary>
    public const string Forms = "FY2023, 2023H1, 2023Q4, 2022-12-31 or 2023-02-01..2023-10-31";

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public override string ToString() => Id;
}
