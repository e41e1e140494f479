using System.Globalization;
using Ledger.Domain.Ingestion;
using Ledger.Domain.Values;

namespace Ledger.Api.Imports;

/// <summary>
/// The forms of the values a report import's query gives (<see cref="XbrlReportOptions"/>), each checked as the readers
/// check it where it is used, with the same words: the endpoint checks them all before it reads the body, whether or not
/// the report then needs them (a ledger export needs none), so that a mistyped value is said at once.
/// </summary>
public static class ReportOptionForms
{
    public static bool IsDate(string value) => DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    public static string NotADate(string value) => $"'{value}' is not a date (yyyy-MM-dd)";

    public static string NotAYearEnd(string value) => $"'{value}' is not a year end (--12-31, last Saturday of September, Saturday nearest the end of January)";

    /// <summary>The first option given in a wrong form, as the field and what is wrong; null when every one given is right.</summary>
    public static (string Field, string Detail)? FirstWrong(string? publishedOn, string? language, string? standard, string? fiscalYearEnd) =>
        publishedOn is not null && !IsDate(publishedOn) ? ("publishedOn", NotADate(publishedOn))
        // The package reader trims a document's language and an entity's standard: so are they here.
        : language is not null && !PackageReader.Languages.Contains(language.Trim()) ? ("language", $"'{language}' is not one of: {string.Join(", ", PackageReader.Languages)}")
        : standard is not null && !PackageReader.Standards.Contains(standard.Trim()) ? ("standard", $"'{standard}' is not one of: {string.Join(", ", PackageReader.Standards)}")
        : fiscalYearEnd is not null && !FiscalCalendar.TryParse(fiscalYearEnd, out _) ? ("fiscalYearEnd", NotAYearEnd(fiscalYearEnd))
        : null;
}
