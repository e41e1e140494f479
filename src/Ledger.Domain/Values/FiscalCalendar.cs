using System.Globalization;
using System.Text.RegularExpressions;

namespace Ledger.Domain.Values;

public enum YearEndRule
{
    /// <summary>The same day every year (<c>--01-31</c>); a day past the month's end means its last day (<c>--02-29</c>).</summary>
    FixedDay,
    /// <summary>52/53 weeks ending on the last given weekday of the month ("last Saturday of September").</summary>
    LastWeekday,
    /// <summary>52/53 weeks ending on the given weekday nearest the month's last day ("Saturday nearest the end of January").</summary>
    NearestWeekday,
}

/// <summary>
/// When an entity's fiscal year ends, and so what <c>FY2024</c>, <c>2024H1</c> and <c>2024Q3</c> mean for it. A fiscal
/// year is named by the calendar year of the month it ends in (Snowflake's FY2024 runs 2023-02-01..2024-01-31; a
/// 52/53-week year ending on the Saturday nearest the end of December may end on 2 January of the next year and keeps
/// the December's year). Quarters and halves: three and six months from the year's first day for a fixed year end;
/// 13 and 26 weeks for a 52/53-week year, the last quarter or half taking the 53rd week.
/// <para>Text forms: <c>--MM-DD</c> (as XBRL's dei:CurrentFiscalYearEndDate), <c>last Saturday of September</c>,
/// <c>Saturday nearest the end of January</c>.</para>
/// </summary>
public sealed partial record FiscalCalendar(YearEndRule Rule, int Month, int Day, DayOfWeek Weekday = DayOfWeek.Saturday)
{
    /// <summary>Years ending on 31 December: the calendar under which the seeds' ids (FY2023, 2023H1, 2023Q4) are keys.</summary>
    public static FiscalCalendar CalendarYear { get; } = new(YearEndRule.FixedDay, 12, 31);

    public bool IsCalendarYear => this == CalendarYear;

    public static FiscalCalendar Fixed(int month, int day)
    {
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(2000, month)) throw new ArgumentOutOfRangeException(nameof(day), $"--{month:00}-{day:00} is not a day of the year");
        return new(YearEndRule.FixedDay, month, day);
    }

    /// <summary>The last day of fiscal year <paramref name="fiscalYear"/>.</summary>
    public DateOnly YearEnd(int fiscalYear)
    {
        var monthEnd = new DateOnly(fiscalYear, Month, DateTime.DaysInMonth(fiscalYear, Month));
        switch (Rule)
        {
            case YearEndRule.FixedDay:
                return new DateOnly(fiscalYear, Month, Math.Min(Day, monthEnd.Day));
            case YearEndRule.LastWeekday:
                return monthEnd.AddDays(-(((int)monthEnd.DayOfWeek - (int)Weekday + 7) % 7));
            default:
                var back = ((int)monthEnd.DayOfWeek - (int)Weekday + 7) % 7;
                return back <= 3 ? monthEnd.AddDays(-back) : monthEnd.AddDays(7 - back);
        }
    }

    public Period Year(int fiscalYear) => Period.Between(YearEnd(fiscalYear - 1).AddDays(1), YearEnd(fiscalYear));

    public Period Half(int fiscalYear, int half)
    {
        if (half is < 1 or > 2) throw new ArgumentOutOfRangeException(nameof(half));
        var year = Year(fiscalYear);
        var split = Rule == YearEndRule.FixedDay ? year.Start.AddMonths(6) : year.Start.AddDays(26 * 7);
        return half == 1 ? Period.Between(year.Start, split.AddDays(-1)) : Period.Between(split, year.End);
    }

    public Period Quarter(int fiscalYear, int quarter)
    {
        if (quarter is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(quarter));
        var year = Year(fiscalYear);
        DateOnly Start(int q) => Rule == YearEndRule.FixedDay ? year.Start.AddMonths(3 * (q - 1)) : year.Start.AddDays(13 * 7 * (q - 1));
        return Period.Between(Start(quarter), quarter == 4 ? year.End : Start(quarter + 1).AddDays(-1));
    }

    /// <summary>
    /// The period figures of this calendar's entity are keyed by: under the calendar year, the fiscal id where the
    /// duration is a year, half or quarter (<see cref="Period.CalendarPeriod"/>); under any other, the explicit dates.
    /// </summary>
    public Period KeyOf(Period period) =>
        period.Type == PeriodType.Instant ? period
        : IsCalendarYear ? Period.CalendarPeriod(period.Start, period.End)
        : Period.Between(period.Start, period.End);

    /// <summary>
    /// Reads a period as this entity means it: <c>FY2024</c>, <c>2024H1</c>, <c>2024Q3</c> as its fiscal periods, any
    /// other form as <see cref="Period.TryParse"/> does; the answer is the period its figures are keyed by.
    /// </summary>
    public bool TryResolve(string? text, out Period period)
    {
        period = null!;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var t = text.Trim();
        Period? fiscal = null;
        if (FiscalYearId().Match(t) is { Success: true } y) { if (!InRange(Number(y.Groups[1].Value))) return false; fiscal = Year(Number(y.Groups[1].Value)); }
        else if (HalfId().Match(t) is { Success: true } h) { if (!InRange(Number(h.Groups[1].Value))) return false; fiscal = Half(Number(h.Groups[1].Value), h.Groups[2].Value[0] - '0'); }
        else if (QuarterId().Match(t) is { Success: true } q) { if (!InRange(Number(q.Groups[1].Value))) return false; fiscal = Quarter(Number(q.Groups[1].Value), q.Groups[2].Value[0] - '0'); }
        if (fiscal is null && !Period.TryParse(t, out fiscal)) return false;
        period = KeyOf(fiscal);
        return true;
    }

    /// <summary>Fiscal years the calendar names: the year before and the days after must be dates too.</summary>
    private static bool InRange(int fiscalYear) => fiscalYear is >= 2 and <= 9998;

    /// <summary>The fiscal name of a duration (<c>FY2024</c>, <c>2024H1</c>, <c>2024Q3</c>), or null when it is none of them.</summary>
    public string? FiscalIdOf(Period period)
    {
        if (period.Type == PeriodType.Instant) return null;
        for (var fy = period.End.Year - 1; fy <= period.End.Year + 1; fy++)
        {
            if (!InRange(fy)) continue;
            if (Year(fy) is var y && y.Start == period.Start && y.End == period.End) return $"FY{fy:D4}";
            for (var h = 1; h <= 2; h++)
                if (Half(fy, h) is var p && p.Start == period.Start && p.End == period.End) return $"{fy:D4}H{h}";
            for (var q = 1; q <= 4; q++)
                if (Quarter(fy, q) is var p && p.Start == period.Start && p.End == period.End) return $"{fy:D4}Q{q}";
        }
        return null;
    }

    /// <summary>
    /// The calendar the annual periods an entity reports imply: one day if every year ends on it (or every year on its
    /// month's last day); else a weekday rule that gives every year's end; else the most frequent day. Null without any.
    /// </summary>
    public static FiscalCalendar? Infer(IEnumerable<DateOnly> yearEnds)
    {
        var ends = yearEnds.Distinct().Order().ToList();
        if (ends.Count == 0) return null;
        // The month's last day first: years ending on 28 February (and 29 in leap years) end on the month's last day.
        if (ends.All(e => e.Month == ends[0].Month && e.Day == DateTime.DaysInMonth(e.Year, e.Month)))
            return Fixed(ends[0].Month, DateTime.DaysInMonth(2000, ends[0].Month));
        if (ends.All(e => e.Month == ends[0].Month && e.Day == ends[0].Day)) return Fixed(ends[0].Month, ends[0].Day);
        if (ends.All(e => e.DayOfWeek == ends[0].DayOfWeek))
        {
            // The nominal month: one a year end falls in, or (for an end a few days into a month) the month before.
            var months = ends.SelectMany(e => new[] { e.Month, e.AddMonths(-1).Month }).Distinct();
            foreach (var month in months)
                foreach (var rule in new[] { YearEndRule.LastWeekday, YearEndRule.NearestWeekday })
                {
                    var candidate = new FiscalCalendar(rule, month, 0, ends[0].DayOfWeek);
                    if (ends.All(e => Ends(candidate, e.Year, e) || Ends(candidate, e.Year - 1, e))) return candidate;
                }
        }
        var common = ends.GroupBy(e => (e.Month, e.Day)).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
        return Fixed(common.Month, common.Day);
    }

    /// <summary>
    /// Whether the fiscal year ends on the date; false for a year whose end could fall outside the calendar (year 0, or 9999,
    /// whose nearest weekday may be in year 10000), which no filing has and <see cref="YearEnd"/> cannot compute. Years 1 to
    /// 9998 are tested, so a year end early in 9999 is matched, if at all, as the end of fiscal 9998.
    /// </summary>
    private static bool Ends(FiscalCalendar calendar, int fiscalYear, DateOnly date) =>
        fiscalYear is >= 1 and <= 9998 && calendar.YearEnd(fiscalYear) == date;

    public static bool TryParse(string? text, out FiscalCalendar calendar)
    {
        calendar = null!;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var t = text.Trim();
        if (FixedText().Match(t) is { Success: true } f)
        {
            var (month, day) = (Number(f.Groups[1].Value), Number(f.Groups[2].Value));
            if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(2000, month)) return false;
            calendar = Fixed(month, day);
            return true;
        }
        var m = WeekdayText().Match(t);
        if (!m.Success) return false;
        if (!Enum.TryParse<DayOfWeek>(m.Groups["weekday"].Value, ignoreCase: true, out var weekday)) return false;
        var monthIndex = Array.FindIndex(CultureInfo.InvariantCulture.DateTimeFormat.MonthNames,
            n => n.Length > 0 && string.Equals(n, m.Groups["month"].Value, StringComparison.OrdinalIgnoreCase));
        if (monthIndex < 0) return false;
        calendar = new FiscalCalendar(m.Groups["last"].Success ? YearEndRule.LastWeekday : YearEndRule.NearestWeekday, monthIndex + 1, 0, weekday);
        return true;
    }

    /// <summary>The text form: <c>--01-31</c>, <c>last Saturday of September</c>, <c>Saturday nearest the end of January</c>.</summary>
    public override string ToString()
    {
        var month = CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(Month);
        return Rule switch
        {
            YearEndRule.FixedDay => $"--{Month:00}-{Day:00}",
            YearEndRule.LastWeekday => $"last {Weekday} of {month}",
            _ => $"{Weekday} nearest the end of {month}",
        };
    }

    private static int Number(string digits) => int.Parse(digits, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^FY(\d{4})$")] private static partial Regex FiscalYearId();
    [GeneratedRegex(@"^(\d{4})H([12])$")] private static partial Regex HalfId();
    [GeneratedRegex(@"^(\d{4})Q([1-4])$")] private static partial Regex QuarterId();
    [GeneratedRegex(@"^--(\d{2})-(\d{2})$")] private static partial Regex FixedText();
    [GeneratedRegex(@"^(?:(?<last>last) (?<weekday>[A-Za-z]+) of (?<month>[A-Za-z]+)|(?<weekday>[A-Za-z]+) nearest the end of (?<month>[A-Za-z]+))$", RegexOptions.IgnoreCase)]
    private static partial Regex WeekdayText();
}
