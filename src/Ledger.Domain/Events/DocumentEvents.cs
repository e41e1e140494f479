namespace Ledger.Domain.Events;

/// <summary>A document's package was loaded. Stream key: <c>document:{id}</c>.</summary>
public sealed record DocumentRecorded(
    string DocumentId,
    string Entity,
    string Kind,
    string Title,
    string Language,
    DateOnly PublishedOn,
    string? Source,
    string ContentHash,
    int Facts,
    int Restatements,
    int Reconciliations,
    IReadOnlyList<ConvenienceTranslation> ConvenienceTranslations,
    Recording Recording,
    // An amendment's amended filing, where known (left out otherwise, so earlier documents serialize as they did).
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Amends = null);

/// <summary>A rate the document prints for its convenience-translated columns (RMB 7.2993 = US$1.00).</summary>
public sealed record ConvenienceTranslation(string From, string To, decimal Rate);

/// <summary>A corrected package replaced the ledger's earlier transcription of the document.</summary>
public sealed record DocumentTranscriptionCorrected(
    string DocumentId,
    string PreviousContentHash,
    string ContentHash,
    int FiguresCorrected,
    Recording Recording,
    // What the corrected package states in all (a correction may add or drop a figure); absent in events
    // recorded before these counts were kept, which then leave the document's counts as they were.
    int? Facts = null,
    int? Restatements = null);

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

/// <summary>An effect the adopting document prints for the adoption period itself (影响金额).</summary>
public sealed record PolicyEffect(string Figure, Statement Value, Location Location);

/// <summary>An entity adopts an accounting policy change (e.g. CAS-INTERP-16). Stream key: <c>entity:{id}</c>.</summary>
public sealed record AccountingPolicyChangeAdopted(
    string Entity,
    string PolicyChange,
    string Title,
    DateOnly EffectiveFrom,
    string Transition,
    IReadOnlyList<PolicyEffect> CurrentPeriodEffects,
    DocumentRef Document,
    Location Location,
    Recording Recording);

/// <summary>One line of a non-GAAP bridge as printed, with the sign it enters the sum with.</summary>
public sealed record ReconciliationLine(string Label, string? Concept, Statement Value);

/// <summary>
/// A document reconciles a non-GAAP measure from a GAAP figure.
/// Stream key: <c>reconciliation:{entity}|{measure}|{period}|{dims}</c>.
/// </summary>
public sealed record NonGaapReconciliationDisclosed(
    string Entity,
    string Measure,
    string Period,
    string Dimensions,
    string Unit,
    ReconciliationLine Start,
    IReadOnlyList<ReconciliationLine> Adjustments,
    ReconciliationLine Total,
    DocumentRef Document,
    int Sequence,
    Location Location,
    Recording Recording);

public static class StreamKeys
{
    public static string Document(string documentId) => $"document:{documentId}";

    /// <summary>The document whose stream this is, or null for another stream (an entity's, a figure's of older builds).</summary>
    public static string? DocumentIdOf(string? streamKey) =>
        streamKey is not null && streamKey.StartsWith("document:", StringComparison.Ordinal) ? streamKey["document:".Length..] : null;
    public static string Entity(string entity) => $"entity:{entity}";
    public static string Reconciliation(string entity, string measure, string period, string dims) =>
        $"reconciliation:{entity}|{measure}|{period}|{dims}";
}

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
