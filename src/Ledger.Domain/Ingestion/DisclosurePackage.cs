using System.Text.Json;
using Ledger.Domain.Events;

namespace Ledger.Domain.Ingestion;

// The wire shape of a disclosure package (docs/disclosure-package.md). Every member is nullable so
// that a missing field becomes a validation error naming its JSON path, never a deserialisation crash.

public sealed record DisclosurePackage(
    PackageDocument? Document,
    PackageCorrection? Correction,
    IReadOnlyList<PackageEntity>? Entities,
    IReadOnlyList<PackageCitedDocument>? CitedDocuments,
    IReadOnlyList<PackageConvenienceTranslation>? ConvenienceTranslations,
    IReadOnlyList<PackagePolicyChange>? PolicyChanges,
    IReadOnlyList<PackageFact>? Facts,
    IReadOnlyList<PackageRestatement>? Restatements,
    IReadOnlyList<PackageReconciliation>? NonGaapReconciliations,
    IReadOnlyList<PackageCalculation>? Calculations = null);

public sealed record PackageDocument(
    string? Id, string? Entity, string? Kind, string? Title, string? Language, string? PublishedOn, string? Source,
    // An amendment (10-K/A, 20-F/A): the document id of the filing it amends, where known.
    string? Amends = null);

public sealed record PackageCorrection(string? Reason);

public sealed record PackageEntity(
    string? Id, IReadOnlyDictionary<string, string>? Names, string? Standard, string? Currency,
    // When its fiscal year ends (FiscalCalendar's text forms); absent: 31 December.
    string? FiscalYearEnd = null);

public sealed record PackageCitedDocument(string? Id, string? Kind, string? Title, string? PublishedOn);

public sealed record PackageConvenienceTranslation(string? From, string? To, string? Rate);

public sealed record PackagePolicyChange(
    string? Id, string? Title, string? EffectiveFrom, string? Transition, Location? Location,
    IReadOnlyList<PackageFact>? CurrentPeriodEffects);

/// <summary>A value: <c>printed</c> with a <c>scale</c>, or <c>value</c> in base units with <c>decimals</c>.</summary>
public interface IPackageValue
{
    string? Printed { get; }
    JsonElement? Value { get; }
    int? Decimals { get; }
    string? Scale { get; }
    string? Sign { get; }
    /// <summary>
    /// True where the ledger's sign convention (expenses positive, losses negative, as in XBRL) is the
    /// opposite of the printed one: "(845,989)" in an expense row, "淨虧損為人民幣1,979.0百萬元" in text.
    /// </summary>
    bool? Negated { get; }
    /// <summary>
    /// True for a <c>value</c> that is exact, as an XBRL fact without <c>decimals</c> is (INF): it takes the place of
    /// <c>decimals</c>, so that a value without one is still an error, not silently exact. Facts only.
    /// </summary>
    bool? Exact => null;
}

public sealed record PackageFact(
    string? Concept,
    string? Period,
    bool? Opening,
    string? Scope,
    IReadOnlyDictionary<string, string>? Dims,
    string? Printed,
    JsonElement? Value,
    int? Decimals,
    string? Scale,
    string? Unit,
    string? Sign,
    bool? Negated,
    Location? Location,
    string? Note,
    // The cited document whose value the document prints unchanged (a 调整前 column, an unadjusted earlier year).
    string? PreviouslyReportedIn = null,
    // Left out when absent, so that packages the importers build serialize as they did.
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] bool? Exact = null) : IPackageValue;

public sealed record PackageRestatedValue(
    string? Printed, JsonElement? Value, int? Decimals, string? Scale, string? Sign, bool? Negated, Location? Location) : IPackageValue;

public sealed record PackageRestatement(
    string? Concept,
    string? Period,
    bool? Opening,
    string? Scope,
    IReadOnlyDictionary<string, string>? Dims,
    string? Unit,
    string? Scale,
    PackageRestatedValue? Before,
    PackageRestatedValue? Adjustment,
    PackageRestatedValue? After,
    string? PreviouslyReportedIn,
    IReadOnlyList<RestatementReason>? Reasons,
    Location? Location,
    string? Note);

public sealed record PackageReconciliationLine(
    string? Label, string? Concept, string? Printed, JsonElement? Value, int? Decimals, string? Scale, string? Sign, bool? Negated) : IPackageValue;

public sealed record PackageReconciliation(
    string? Measure,
    string? Period,
    string? Unit,
    string? Scale,
    IReadOnlyDictionary<string, string>? Dims,
    PackageReconciliationLine? Start,
    IReadOnlyList<PackageReconciliationLine>? Adjustments,
    PackageReconciliationLine? Total,
    Location? Location);

public sealed record PackageCalculationMember(string? Concept, int? Weight, IReadOnlyDictionary<string, string>? Dims);

/// <summary>A total and its members, as the document's table prints them (an XBRL calculation relation).</summary>
public sealed record PackageCalculation(
    string? Total, string? Scope, IReadOnlyDictionary<string, string>? Dims, IReadOnlyList<PackageCalculationMember>? Members, Location? Location,
    IReadOnlyList<string>? Periods);
