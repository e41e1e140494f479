using Ledger.Domain.Values;
using Ledger.Projections.Entities;

namespace Ledger.Api.Http;

/// <summary>
/// A period as a route or query gives it: <c>FY2024</c>, <c>2024H1</c>, <c>2024Q3</c> mean the entity's fiscal periods, and
/// any form is answered with the period the entity's figures are keyed by (Snowflake's FY2024 is 2023-02-01..2024-01-31).
/// </summary>
public static class PeriodInput
{
    /// <summary>Whether the text is a period in some form; which period it is depends on the entity.</summary>
    public static bool IsValid(string? text) => FiscalCalendar.CalendarYear.TryResolve(text, out _);

    public static Period Resolve(EntityProfile entity, string text) =>
        entity.Calendar().TryResolve(text, out var period) ? period : throw new FormatException($"'{text}' is not a period ({Period.Forms}).");
}
