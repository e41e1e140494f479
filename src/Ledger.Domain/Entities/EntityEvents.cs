using Ledger.Domain.Events;

namespace Ledger.Domain.Entities;

/// <summary>A reporting company entered the ledger. Stream key: <c>entity:{id}</c>.</summary>
public sealed record EntityRegistered(
    string Entity,
    IReadOnlyDictionary<string, string> Names,
    string Standard,
    string Currency,
    string DocumentId,
    Recording Recording,
    // When its fiscal year ends (FiscalCalendar's text forms); absent: 31 December.
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? FiscalYearEnd = null);

/// <summary>One member of a calculation: a concept (with its dimensions) and the sign it enters the total with.</summary>
public sealed record CalculationMember(string Concept, int Weight, string Dimensions);

/// <summary>
/// A total the document prints and the rows it is the sum of, as an XBRL calculation linkbase states it: it holds
/// for the <paramref name="Periods"/> listed (else every period at which the document states the total), in
/// <paramref name="Scope"/> (null: every scope).
/// </summary>
public sealed record CalculationRelation(string Total, string Dimensions, string? Scope, IReadOnlyList<CalculationMember> Members, Location Location,
    // The periods (columns) the table prints the total for; empty: every period at which the document states it.
    IReadOnlyList<string> Periods);

/// <summary>A document's own arithmetic: the calculation relations its tables print. Stream key: <c>entity:{id}</c>.</summary>
public sealed record CalculationRelationsDeclared(
    string Entity,
    DocumentRef Document,
    IReadOnlyList<CalculationRelation> Relations,
    Recording Recording);
