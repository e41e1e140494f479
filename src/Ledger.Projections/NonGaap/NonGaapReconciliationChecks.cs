using Ledger.Domain.Checks;
using Ledger.Domain.Events;
using Ledger.Domain.Figures;
using Ledger.Domain.NonGaap;
using Ledger.Domain.Values;
using Ledger.Projections.Documents;
using Ledger.Projections.Figures;
using Marten;

namespace Ledger.Projections.NonGaap;

/// <summary>
/// One document's reconciliation as the ledger checks it beyond its own arithmetic: a translated column (US$) line by line
/// against the same document's source column at its printed rate (<see cref="Source"/>, <see cref="Rate"/>: none where the
/// document names no such translation or prints no matching source), and its GAAP start against the ledger (<see cref="Start"/>).
/// </summary>
public sealed record CheckedReconciliation(string Dimensions, ReconciliationEntry Entry, ReconciliationEntry? Source, decimal? Rate, StartAgainstLedger? Start)
{
    /// <summary>A line of the translated column against its source line at the rate; null where there is nothing to check it against.</summary>
    public (Verdict Verdict, decimal? Expected, decimal Gap)? Translation(ReconciliationLine line, ReconciliationLine? sourceLine) =>
        sourceLine is null || Rate is not { } rate ? null : ConvenienceTranslationCheck.Check(sourceLine.Value.Value, rate, line.Value.Value);
}

/// <summary>
/// The GAAP figure a reconciliation starts from, and the ledger's value it is checked against (null: the ledger holds none):
/// what the same document states for it, else what the ledger knew on the document's date, so that a later restatement of the
/// GAAP figure does not make an older bridge wrong.
/// </summary>
public sealed record StartAgainstLedger(string Figure, Amount? Known, Verdict? Verdict);

public static class NonGaapReconciliationChecks
{
    /// <summary>The measure's reconciliations for the period, checked; the figures and documents they need read in two round trips.</summary>
    public static async Task<IReadOnlyList<CheckedReconciliation>> CheckAsync(IQuerySession session, string entity, string period,
        IReadOnlyList<NonGaapReconciliationView> views, CancellationToken ct)
    {
        var entries = Entries(views);
        var ledger = (await FigureReads.LoadManyAsync(session, entries.Select(e => StartFigure(entity, period, e.View, e.Entry)).OfType<string>().Distinct().ToArray(), ct))
            .ToDictionary(h => h.Id, StringComparer.Ordinal);
        var documents = (await session.LoadManyAsync<DocumentSummary>(ct, entries.Select(e => StreamKeys.Document(e.Entry.Document.Id)).Distinct().ToArray()))
            .ToDictionary(d => d.DocumentId, StringComparer.Ordinal);
        return Check(entity, period, views, ledger, documents);
    }

    /// <summary>The checks themselves, given the start figures' histories and the documents (by id).</summary>
    public static IReadOnlyList<CheckedReconciliation> Check(string entity, string period, IReadOnlyList<NonGaapReconciliationView> views,
        IReadOnlyDictionary<string, FigureHistory> ledger, IReadOnlyDictionary<string, DocumentSummary> documents) =>
        Entries(views).Select(e =>
        {
            var dims = FigureKey.ParseDimensions(e.View.Dimensions);
            var (source, rate) = TranslationSource(views, e.Entry, dims, documents);
            var start = StartFigure(entity, period, e.View, e.Entry) is { } figure ? StartCheck(figure, e.Entry, ledger.GetValueOrDefault(figure)) : null;
            return new CheckedReconciliation(e.View.Dimensions, e.Entry, source, rate, start);
        }).ToList();

    private static List<(NonGaapReconciliationView View, ReconciliationEntry Entry)> Entries(IReadOnlyList<NonGaapReconciliationView> views) =>
        views.SelectMany(v => v.Reconciliations.Select(r => (View: v, Entry: r))).ToList();

    private static string? StartFigure(string entity, string period, NonGaapReconciliationView view, ReconciliationEntry entry) =>
        entry.Start.Concept is { } concept ? new FigureKey(entity, concept, period, Scopes.Consolidated, FigureKey.ParseDimensions(view.Dimensions)).ToString() : null;

    /// <summary>A translated column's source: the same document's reconciliation in the column without the translation, line for line.</summary>
    private static (ReconciliationEntry? Source, decimal? Rate) TranslationSource(IReadOnlyList<NonGaapReconciliationView> views, ReconciliationEntry entry,
        IReadOnlyDictionary<string, string> dims, IReadOnlyDictionary<string, DocumentSummary> documents)
    {
        if (!dims.TryGetValue("translation", out var to) || !documents.TryGetValue(entry.Document.Id, out var document)
            || document.ConvenienceTranslations.FirstOrDefault(t => t.To == to) is not { } translation)
            return (null, null);
        var sourceDims = FigureKey.FormatDimensions(dims.Where(d => d.Key != "translation").ToDictionary(d => d.Key, d => d.Value));
        var source = views.FirstOrDefault(v => v.Dimensions == sourceDims)?.Reconciliations
            .FirstOrDefault(r => r.Document.Id == entry.Document.Id && r.Adjustments.Count == entry.Adjustments.Count);
        return (source, translation.Rate);
    }

    private static StartAgainstLedger StartCheck(string figure, ReconciliationEntry entry, FigureHistory? history)
    {
        var known = history is null ? null
            : history.Statements.Where(s => s.Document.Id == entry.Document.Id && s.Kind != StatementKinds.Cited)
                  .Select(s => s.Value.Value).OrderByDescending(v => v.Decimals ?? int.MaxValue).FirstOrDefault()
              ?? (entry.Document.PublishedOn is { } on ? PointInTimeView.Of(history, on)?.Value : history.Current);
        return new StartAgainstLedger(figure, known, known is null ? null : Calculation.Duplicate(entry.Start.Value.Value, known));
    }
}
