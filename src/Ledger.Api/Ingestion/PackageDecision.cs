using Ledger.Api.Database;
using Ledger.Domain.Documents;
using Ledger.Domain.Events;
using Ledger.Domain.Figures;
using Ledger.Domain.Ingestion;
using Ledger.Projections.Figures;

namespace Ledger.Api.Ingestion;

/// <summary>
/// What a package records, decided from the package and what the ledger holds, without reading or writing anything:
/// the answer, and the write that makes it true (none when nothing is recorded). A concurrent write found only at
/// commit turns the answer into a conflict (<see cref="ConcurrentPackageWrite"/>).
/// </summary>
public static class PackageDecision
{
    public static (IngestionResult Answer, PackageWrite? Write) Decide(ReceivedPackage received, LedgerOnPackage ledger)
    {
        if (received.Refusal is { } refusal) return (refusal, null);
        if (ledger.Loaded is { } same && same.ContentHash == received.Hash)
            return (new IngestionResult(IngestionOutcome.AlreadyLoaded, received.DocumentId, 0, Message: "This package is already loaded; nothing was recorded."), null);
        if (ledger.Plan is not { } plan) return (Invalid(received.DocumentId, [.. ledger.Errors]), null);
        var timeout = DisclosureIngestion.WriteTimeoutSeconds(plan.Facts + plan.Restatements);
        if (ledger.Loaded is not { } loaded)
        {
            var answer = new IngestionResult(IngestionOutcome.Recorded, plan.DocumentId, plan.EventCount,
                plan.Facts, plan.Restatements, plan.Reconciliations, Warnings: RestatementWarnings(plan, ledger.Histories));
            return (answer, new RecordPackage(plan, received.Hash, received.Body, received.Recording, timeout));
        }
        var content = ledger.Content ?? PackageContent.Of(plan);

        var differences = Differences(loaded, content);
        var otherChanged = loaded.OtherContentSignature != content.Other;
        if (differences.Count == 0 && !otherChanged)
            return (new IngestionResult(IngestionOutcome.AlreadyLoaded, plan.DocumentId, 0,
                Message: "This package states what the loaded one states (only its formatting differs); nothing was recorded."), null);
        if (!received.IsCorrection || otherChanged)
            return (new IngestionResult(IngestionOutcome.Conflict, plan.DocumentId, 0,
                Differences: otherChanged ? [.. differences, new FigureDifference("(document details, entities, policy changes or non-GAAP reconciliations)", null, null)] : differences,
                Message: !received.IsCorrection
                    ? $"Document '{plan.DocumentId}' is already loaded from a different package. Mark the package as a correction " +
                      "(\"correction\": {\"reason\": \"...\"}) if it fixes the ledger's transcription of its figures."
                    : "A correction fixes the transcription of figures; this one also changes the document's details, entities, " +
                      "policy changes or non-GAAP reconciliations, which a correction cannot change yet. Nothing was recorded."), null);
        if (string.IsNullOrWhiteSpace(received.CorrectionReason)) return (Invalid(plan.DocumentId, new PackageError("$.correction.reason", "is required")), null);

        var events = Corrections(plan, loaded, differences, ledger.Histories, received.Hash, received.Recording with { Reason = received.CorrectionReason });
        return (new IngestionResult(IngestionOutcome.Corrected, plan.DocumentId, events.Count, plan.Facts, plan.Restatements, plan.Reconciliations,
                Differences: differences, Message: $"{differences.Count} figure(s) of the ledger's transcription corrected."),
            new CorrectPackage(plan.DocumentId, loaded.ContentHash, events, content.ToLoadedPackage(plan.DocumentId, received.Hash), received.Body, received.Recording, timeout));
    }

    /// <summary>
    /// The events that replace, figure by figure, what the ledger holds from the document with what the corrected package
    /// states: each correction says "from" (the document's statements of the figure in the ledger) as well as "to".
    /// </summary>
    private static List<object> Corrections(PackagePlan plan, LoadedPackage loaded, IReadOnlyList<FigureDifference> differences,
        IReadOnlyDictionary<string, FigureHistory> histories, string hash, Recording recording)
    {
        // One pass over the package's events (read again from its bytes), keeping only the changed figures': neither the
        // whole package in memory nor a pass per figure.
        var (disclosed, restated) = (new Dictionary<string, List<FigureDisclosed>>(StringComparer.Ordinal), new Dictionary<string, List<FigureRestated>>(StringComparer.Ordinal));
        foreach (var d in differences)
            (disclosed[d.Figure], restated[d.Figure]) = ([], []);
        foreach (var e in plan.Events)
        {
            if (e.Event is FigureDisclosed d && disclosed.TryGetValue(d.Figure, out var ds)) ds.Add(d);
            else if (e.Event is FigureRestated r && restated.TryGetValue(r.Figure, out var rs)) rs.Add(r);
        }
        var corrections = new List<object>();
        foreach (var figure in differences.Select(d => d.Figure))
        {
            var statements = histories.TryGetValue(figure, out var h) ? h.Statements : [];
            corrections.Add(new DisclosureCorrected(figure, plan.DocumentId,
                statements.Where(s => s.Document.Id == plan.DocumentId && s.Kind != StatementKinds.Cited).Select(s => s.Value).ToList(),
                disclosed[figure], restated[figure],
                recording, statements.Where(s => s.CitedBy == plan.DocumentId).Select(s => s.Document.Id).Distinct().ToList()));
        }
        corrections.Add(new DocumentTranscriptionCorrected(plan.DocumentId, loaded.ContentHash, hash, differences.Count, recording, plan.Facts, plan.Restatements));
        return corrections;
    }

    /// <summary>Restatements whose "previously reported" value is not what the ledger held before the document.</summary>
    private static IReadOnlyList<IngestionWarning> RestatementWarnings(PackagePlan plan, IReadOnlyDictionary<string, FigureHistory> histories)
    {
        var warnings = new List<IngestionWarning>();
        var order = FigureTimeline.OrderOf(new DocumentRef(plan.DocumentId, plan.PublishedOn));
        foreach (var r in plan.Restated)
        {
            if (!histories.TryGetValue(r.Figure, out var h)) continue;
            var before = FigureTimeline.Build(h.Statements.Where(s => FigureTimeline.OrderOf(s.Document).CompareTo(order) < 0)).LastOrDefault();
            if (before is not null && !before.Value.AgreesWith(r.Before.Value))
                warnings.Add(new IngestionWarning(r.Figure,
                    $"the document restates from {r.Before.Value} but the ledger held {before.Value} (document {before.DocumentId}); recorded and flagged"));
        }
        return warnings;
    }

    /// <summary>The figures whose statements differ between the loaded package and this one, in ordinal order.</summary>
    public static IReadOnlyList<FigureDifference> Differences(LoadedPackage loaded, PackageContent package)
    {
        var (ledger, received) = (loaded.FigureContent(), package.Figures);
        return ledger.Keys.Union(received.Keys)
            .Where(k => !ledger.TryGetValue(k, out var a) || !received.TryGetValue(k, out var b) || a.Digest != b.Digest)
            .OrderBy(k => k, StringComparer.Ordinal)
            .Select(k => new FigureDifference(k, ledger.GetValueOrDefault(k)?.Value, received.GetValueOrDefault(k)?.Value))
            .ToList();
    }

    private static IngestionResult Invalid(string? documentId, params PackageError[] errors) =>
        new(IngestionOutcome.Invalid, documentId, 0, Errors: errors);
}
