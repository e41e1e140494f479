using Ledger.Domain.Figures;
using Ledger.Domain.Values;

namespace Ledger.Domain.Ingestion;

/// <summary>One bad field: its JSON path in the package and what is wrong with it.</summary>
public sealed record PackageError(string Path, string Message);

/// <summary>What the ledger already holds that a package may refer to.</summary>
public sealed record LedgerContext(
    IReadOnlySet<string> Entities,
    IReadOnlyDictionary<string, DateOnly?> Documents,
    IReadOnlySet<string> PolicyChanges,
    // The fiscal calendars of entities that do not close on 31 December.
    IReadOnlyDictionary<string, FiscalCalendar>? Calendars = null)
{
    public static LedgerContext Empty { get; } = new(
        new HashSet<string>(), new Dictionary<string, DateOnly?>(), new HashSet<string>());
}

/// <summary>An event and the stream it belongs to.</summary>
public sealed record PlannedEvent(string Stream, object Event);

/// <summary>
/// A package that passed validation, as the events it records: <see cref="Events"/> in the order they are written,
/// <see cref="EventCount"/> of them. A package whose facts are still in its bytes (<see cref="PackageItems{T}"/>) reads
/// them again each time its events are enumerated, one at a time, rather than keep them all.
/// </summary>
public sealed record PackagePlan(
    string DocumentId,
    string Entity,
    DateOnly PublishedOn,
    IEnumerable<PlannedEvent> Events,
    int EventCount,
    int Facts,
    int Restatements,
    int Reconciliations,
    // The entities the package registers (their streams start with it).
    IReadOnlyList<string> RegisteredEntities,
    // The figures stated by more than one of the package's facts and restatements (and perhaps a few stated once): what
    // must be read whole before a figure is known, where every other figure is known from its one statement.
    IReadOnlySet<string> RepeatedFigures,
    // The package's restatements, kept: what the decision compares with the ledger (a document restates a few figures;
    // its facts are not read again for them).
    IReadOnlyList<FigureRestated> Restated);
